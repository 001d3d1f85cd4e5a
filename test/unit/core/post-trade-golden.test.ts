import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { simulatePostTrade } from "../../../functions/core/use-cases/simulate-post-trade";
import { REPO_ROOT } from "../../../lib/repo-root";
import {
  expectVariantMatches,
  POST_TRADE_EXAMPLE_PATH,
  parsedPostTrade,
  postTradeExample,
} from "../../support/post-trade-example";

const run = promisify(execFile);
const example = postTradeExample();

describe("npm run simulate -- --post-trade on the post-trade worked example", async () => {
  const { stdout } = await run(
    "node",
    ["--import", "tsx", "bin/simulate.ts", "--post-trade", POST_TRADE_EXAMPLE_PATH],
    { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 },
  );
  const result = JSON.parse(stdout);

  it("prints one result per variant, in the scenario's order, and names the trades T1 and T2", () => {
    expect(result.variants.map((v: { name: string }) => v.name)).toEqual(
      example.variants.map((v: { name: string }) => v.name),
    );
    expect(result.trades.map((t: { tradeId: string }) => t.tradeId)).toEqual(["T1", "T2"]);
  });

  const variants: [string, number][] = example.variants.map((v: { name: string }, i: number) => [
    v.name,
    i,
  ]);
  it.each(variants)("variant %s reproduces every value of its expected block", (_name, i) => {
    const expected = example.variants[i].expected;
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expectVariantMatches(result.variants[i], expected);
  });

  it("the CLI prints exactly what the core returns (one core, two doors)", () => {
    expect(result).toEqual(JSON.parse(JSON.stringify(simulatePostTrade(parsedPostTrade(example)))));
  });

  it("the correction run issues version 2 for g4 and g5 only and a run without new input issues nothing (R-SETTLE-7)", () => {
    const v = result.variants.find((x: { name: string }) => x.name === "missing-meter-and-rerun");
    expect(
      v.settlementRuns.map(
        (r: { statements: { participantId: string; version: number; changed: boolean }[] }) =>
          r.statements.map((s) => `${s.participantId} v${s.version}${s.changed ? " new" : ""}`),
      ),
    ).toEqual([
      ["g1 v1 new", "g4 v1 new", "g5 v1 new"],
      ["g1 v1", "g4 v2 new", "g5 v2 new"],
      ["g1 v1", "g4 v2", "g5 v2"],
    ]);
  });

  it("a replayed topology change returns the first outcome and adds no event (R-VERIFY-2)", () => {
    const v = result.variants.find((x: { name: string }) => x.name === "topology-change");
    const [first, replay] = v.topologyChanges;
    expect(replay).toEqual({ ...first, replayed: true });
    const ids = v.events.map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
