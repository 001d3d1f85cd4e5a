import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../lib/repo-root";
import { useLocalStack } from "../support/use-local-stack";

const local = useLocalStack();

describe("GET /openapi.json", () => {
  it("serves the committed docs/openapi.json, with servers pointing at the caller's URL", async () => {
    const response = await fetch(`${local.stack.url}/openapi.json`);
    expect(response.status).toBe(200);
    const { servers, ...served } = (await response.json()) as { servers: { url: string }[] };
    expect(servers).toEqual([{ url: local.stack.url }]);
    const committed = JSON.parse(readFileSync(join(REPO_ROOT, "docs/openapi.json"), "utf8"));
    expect(served).toEqual(committed);
  });
});
