import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  parsePostTradeScenario,
  simulatePostTrade,
} from "../../../functions/core/use-cases/simulate-post-trade";
import { REPO_ROOT } from "../../../lib/repo-root";
import { POST_TRADE_EXAMPLE_PATH, postTradeExample } from "../../support/post-trade-example";

const run = promisify(execFile);

/** Runs `npm run simulate` as a user would; never rejects. */
async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await run("node", ["--import", "tsx", "bin/simulate.ts", ...args], {
      cwd: REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function writeTemp(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), "bitrader-pt-")), "scenario.json");
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

describe("simulate's command line", () => {
  it("--help prints the usage and exits 0", async () => {
    const { code, stdout } = await cli("--help");
    expect(code).toBe(0);
    expect(stdout).toContain("usage: npm run simulate -- [--post-trade] <scenario.json>");
    expect(stdout).toContain("--post-trade");
  });

  it.each([
    ["an unknown option", ["--post-trad", POST_TRADE_EXAMPLE_PATH]],
    ["no file", ["--post-trade"]],
    ["two files", [POST_TRADE_EXAMPLE_PATH, POST_TRADE_EXAMPLE_PATH]],
  ])("refuses %s with a usage problem and no stack trace (exit 2)", async (_name, args) => {
    const { code, stdout, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    const problem = JSON.parse(stderr);
    expect(problem).toMatchObject({ status: 400, code: "USAGE" });
    expect(problem.detail).toContain("usage:");
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe("bad post-trade input: a problem JSON on stderr naming the field, exit 2", () => {
  const cases: [
    string,
    (s: ReturnType<typeof postTradeExample>) => void,
    number,
    string,
    string,
  ][] = [
    [
      "a topology change without an offset on effectiveFrom",
      (s) => {
        s.variants[3].topologyChanges[0].body.effectiveFrom = "2027-06-14T12:40:00";
      },
      400,
      "VALIDATION_FAILED",
      "variants.3.topologyChanges.0.body.effectiveFrom",
    ],
    [
      "an unknown field in a settlement run",
      (s) => {
        s.variants[0].settlementRuns[0].when = "now";
      },
      400,
      "VALIDATION_FAILED",
      "variants.0.settlementRuns.0",
    ],
    [
      "a CSV meter file with a negative value",
      (s) => {
        s.variants[0].meterReadings[1].body = s.variants[0].meterReadings[1].body.replace(
          "G1-A,2027-06-14,2,export,kWh,4000",
          "G1-A,2027-06-14,2,export,kWh,-4000",
        );
      },
      400,
      "VALIDATION_FAILED",
      "variants.0.meterReadings.1.body.line 3.value",
    ],
    [
      "a performance floor at 1 − grace factor",
      (s) => {
        s.config.performanceFloor = 0.95;
      },
      400,
      "VALIDATION_FAILED",
      "config.performanceFloor",
    ],
    [
      "a named trade the day-ahead rules do not make",
      (s) => {
        s.trades[0].quantityMw = 2.5;
      },
      422,
      "SCENARIO_INCONSISTENT",
      "trades.0.quantityMw",
    ],
  ];

  it.each(cases)("%s", async (_name, mutate, status, code, path) => {
    const s = postTradeExample();
    mutate(s);
    const result = await cli("--post-trade", writeTemp(s));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    const problem = JSON.parse(result.stderr);
    expect(problem).toMatchObject({ status, code });
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("malformed JSON and a missing file are problems too", async () => {
    expect(JSON.parse((await cli("--post-trade", writeTemp("{"))).stderr).code).toBe(
      "MALFORMED_JSON",
    );
    expect(JSON.parse((await cli("--post-trade", "/nonexistent.json")).stderr).code).toBe(
      "FILE_NOT_READABLE",
    );
  });

  it("never throws on mutations of the example: every input is a scenario or a problem", () => {
    const paths: (string | number)[][] = [
      ["variants", 3, "topologyChanges", 0, "body", "constraints", 0, "entries", 0, "capacityMw"],
      ["variants", 0, "anmActuals", 0, "body", "constraints", 0, "requiredCurtailmentMw"],
      ["variants", 0, "nominations", 0, "body", "nominatedMw"],
      ["variants", 5, "settlementRuns", 0, "month"],
      ["config", "vetoDeadline"],
      ["trades", 1, "sellOrderId"],
    ];
    for (const path of paths)
      for (const value of [null, -1, "x", [], {}, 1e12]) {
        const s = postTradeExample();
        let at = s;
        for (const key of path.slice(0, -1)) at = at[key];
        at[path.at(-1)!] = value;
        const parsed = parsePostTradeScenario(s);
        if (!parsed.ok) expect(parsed.problem.status).toBeLessThan(500);
        else expect(() => simulatePostTrade(parsed.value)).not.toThrow();
      }
  });
});
