import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ObservedResponse } from "../../lib/local/observed-responses";
import { REPO_ROOT } from "../../lib/repo-root";

/** Where the suite's local REST servers record their answers (ignored by git). */
export const OBSERVED_RESPONSES_DIR = join(REPO_ROOT, "test-results", "observed-responses");

/** Every answer recorded in this run (BITRADER_OBSERVED_RESPONSES), by every process. */
export function observedResponses(): ObservedResponse[] {
  const run = process.env.BITRADER_OBSERVED_RESPONSES;
  if (run === undefined || !existsSync(run)) return [];
  return readdirSync(run)
    .filter((name) => name.endsWith(".jsonl"))
    .flatMap((name) =>
      readFileSync(join(run, name), "utf8")
        .split("\n")
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as ObservedResponse),
    );
}
