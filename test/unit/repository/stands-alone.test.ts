import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../lib/repo-root";

/**
 * The repository stands alone: nothing it tracks reads, links or names a folder beside it. The
 * sibling folder's name is assembled here so that this file does not name it itself.
 */
const NAME = ["sha", "red"].join("");
const SIBLING = `../${NAME}`;
/** The same path built from segments (`join(root, "..", "<name>")`). */
const SIBLING_SEGMENTS = new RegExp(`["']\\.\\.["']\\s*,\\s*["']${NAME}["']`);

function trackedFiles(): string[] {
  return execFileSync("git", ["ls-files", "-z"], { cwd: REPO_ROOT, encoding: "utf8" })
    .split("\0")
    .filter((f) => f.length > 0 && f !== "package-lock.json");
}

describe("the repository stands alone", () => {
  it("no tracked file names a path outside the repository", () => {
    const offenders: string[] = [];
    for (const file of trackedFiles()) {
      let text: string;
      try {
        text = readFileSync(join(REPO_ROOT, file), "utf8");
      } catch {
        continue; // deleted in the work tree but still in the index
      }
      const lines = text.split("\n");
      lines.forEach((line, i) => {
        if (line.includes(SIBLING) || SIBLING_SEGMENTS.test(line))
          offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it("the examples users run are in the repository", () => {
    const files = trackedFiles();
    for (const example of [
      "examples/worked-example.json",
      "examples/look-ahead.json",
      "examples/post-trade-worked-example.json",
    ])
      expect(files).toContain(example);
  });
});
