import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_STATUS } from "../../../functions/http/error-status";
import { REPO_ROOT } from "../../../lib/repo-root";

/** The rows of docs/api.md's "Error codes" table: each code in its first column → its status. */
function documentedCodes(): Map<string, number> {
  const text = readFileSync(join(REPO_ROOT, "docs", "api.md"), "utf8");
  const start = text.indexOf("\n## Error codes\n");
  expect(start, "docs/api.md has an Error codes section").toBeGreaterThan(0);
  const next = text.indexOf("\n## ", start + 1);
  const section = text.slice(start, next === -1 ? undefined : next);
  const codes = new Map<string, number>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const status = Number(cells[2]);
    if (!Number.isInteger(status)) continue; // the header, its rule and the prose
    for (const [, code] of (cells[1] ?? "").matchAll(/`([A-Z][A-Z_]+)`/g)) {
      expect(codes.has(code!), `${code} is in the table once`).toBe(false);
      codes.set(code!, status);
    }
  }
  return codes;
}

describe("docs/api.md's table of error codes", () => {
  const documented = documentedCodes();

  it("lists every code the API answers with, with the status it comes with", () => {
    const missing = Object.keys(ERROR_STATUS).filter((code) => !documented.has(code));
    expect(missing, "codes the table lacks").toEqual([]);
    for (const [code, status] of Object.entries(ERROR_STATUS))
      expect(documented.get(code), code).toBe(status);
  });

  it("lists no code the API does not have", () => {
    expect([...documented.keys()].filter((code) => !(code in ERROR_STATUS))).toEqual([]);
  });
});
