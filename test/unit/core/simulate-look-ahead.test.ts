import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../lib/repo-root";

const run = promisify(execFile);
const EXAMPLE = join(REPO_ROOT, "examples", "look-ahead.json");

async function simulateLookAhead(path: string) {
  try {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "bin/simulate.ts", "--look-ahead", path],
      { cwd: REPO_ROOT },
    );
    return { code: 0, stdout, stderr: "" };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("simulate --look-ahead: an ANM integrator checks a look-ahead offline", () => {
  it("shows the markets and every opportunity the example look-ahead opens", async () => {
    const { code, stdout } = await simulateLookAhead(EXAMPLE);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.markets).toHaveLength(1);
    expect(result.markets[0]).toMatchObject({ constraintId: "C1", constraintSizeMw: 7 });
    // Every entry eligible but G2-A, whose flexible-service window covers the market (R-ELIG-1).
    const sides = result.opportunities.map((o: { entryId: string; side: string }) => [
      o.entryId,
      o.side,
    ]);
    expect(sides.sort()).toEqual(
      [
        ["G1-A", "sell"],
        ["G3-A", "buy"],
        ["G3-B", "buy"],
        ["G4-A", "buy"],
        ["G5-A", "sell"],
      ].sort(),
    );
    expect(result.trades).toEqual([]);
  });

  it("refuses a look-ahead that breaks R-IN-1 with the API's code and field paths, exit 2", async () => {
    const lookAhead = JSON.parse(readFileSync(EXAMPLE, "utf8"));
    lookAhead.mols[0].entries[1].curtailmentOrder = 9;
    lookAhead.constraints[0].requiredCurtailmentMw.pop();
    const path = join(mkdtempSync(join(tmpdir(), "look-ahead-")), "bad.json");
    writeFileSync(path, JSON.stringify(lookAhead));
    const { code, stderr } = await simulateLookAhead(path);
    expect(code).toBe(2);
    const problem = JSON.parse(stderr);
    expect(problem.code).toBe("LOOK_AHEAD_INVALID");
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "constraints.0.requiredCurtailmentMw",
      "mols.0.entries",
    ]);
  });
});
