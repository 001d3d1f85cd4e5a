import { afterAll, beforeAll } from "vitest";
import { ApiClient } from "../../lib/client/api-client";
import {
  type LocalStack,
  type LocalStackOptions,
  startLocalStack,
} from "../../lib/local/local-stack";
import { REPO_ROOT } from "../../lib/repo-root";

/** {@link LocalStackOptions} with `root` (the repository) and `inMemory` (true) defaulted. */
export type UseLocalStackOptions = Omit<LocalStackOptions, "root" | "inMemory"> &
  Partial<Pick<LocalStackOptions, "root" | "inMemory">>;

/** The stack of one test file and an API client on its URL; readable once its beforeAll ran. */
export interface UsedLocalStack {
  readonly stack: LocalStack;
  readonly api: ApiClient;
}

/**
 * The local stack for one integration test file: registers a beforeAll that starts it (in
 * memory, from the repository root, 60 s to start) and an afterAll that stops it. Call it at
 * the top level of the file, before any beforeAll that needs the stack: vitest runs beforeAll
 * hooks in the order they are registered.
 */
export function useLocalStack(options: UseLocalStackOptions = {}): UsedLocalStack {
  let stack: LocalStack | undefined;
  let api: ApiClient | undefined;

  beforeAll(async () => {
    stack = await startLocalStack({ root: REPO_ROOT, inMemory: true, ...options });
    api = new ApiClient(stack.url);
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const notStarted = (what: string) =>
    new Error(
      `useLocalStack: ${what} read before the local stack started (read it inside a test or a hook, not while the file is collected)`,
    );
  return {
    get stack() {
      if (stack === undefined) throw notStarted("stack");
      return stack;
    },
    get api() {
      if (api === undefined) throw notStarted("api");
      return api;
    },
  };
}
