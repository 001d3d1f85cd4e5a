import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { contractFiles } from "../../../functions/http/openapi/contract-files";
import { REPO_ROOT } from "../../../lib/repo-root";

describe("the committed contract files", () => {
  it.each(Object.entries(contractFiles()))(
    "%s is what `npm run openapi` writes from the routes and schemas",
    (file, expected) => {
      const committed = readFileSync(join(REPO_ROOT, file), "utf8");
      // A plain equality: on a difference, run `npm run openapi` and commit the result.
      expect(committed === expected, `${file} is stale: run npm run openapi`).toBe(true);
    },
  );
});
