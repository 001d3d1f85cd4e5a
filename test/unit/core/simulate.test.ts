import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseScenario, simulate } from "../../../functions/core/use-cases/simulate";
import { propertyParams } from "../../support/property";

const run = promisify(execFile);
const SCENARIO = join(import.meta.dirname, "../../../examples/worked-example.json");
const scenarioJson = () => JSON.parse(readFileSync(SCENARIO, "utf8"));

/** Runs `npm run simulate` as a user would; never rejects. */
async function simulateCli(path: string) {
  try {
    const { stdout, stderr } = await run("node", ["--import", "tsx", "bin/simulate.ts", path], {
      cwd: join(import.meta.dirname, "../../.."),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function writeTemp(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "bitrader-sim-"));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The expected block with `<trade b1 x o1>` placeholders replaced by the real trade ids. */
function expectedWithTradeIds(
  expected: ReturnType<typeof scenarioJson>["expected"],
  trades: { tradeId: string; buyOrderId: string; sellOrderId: string }[],
) {
  const idOf = (bid: string, offer: string) =>
    trades.find((t) => t.buyOrderId === bid && t.sellOrderId === offer)?.tradeId;
  return JSON.parse(
    JSON.stringify(expected).replace(
      /<trade (\w+) x (\w+)>/g,
      (_, b, o) => idOf(b, o) ?? "missing",
    ),
  );
}

describe("npm run simulate on the worked example", () => {
  it("prints markets, opportunities, trades and merit-order segments equal to the expected block", async () => {
    const { code, stdout } = await simulateCli(SCENARIO);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    const expected = expectedWithTradeIds(scenarioJson().expected, result.trades);

    expect(
      result.markets.map((m: Record<string, unknown>) => ({
        constraintId: m.constraintId,
        windowStart: m.windowStart,
        windowEnd: m.windowEnd,
        constraintSizeMw: m.constraintSizeMw,
        marketDepth: m.marketDepth,
      })),
    ).toEqual(expected.markets);
    expect(
      result.opportunities.map((o: Record<string, unknown>) => ({
        constraintId: o.constraintId,
        entryId: o.entryId,
        side: o.side,
        maxQuantityMw: o.maxQuantityMw,
        curtailmentOrder: o.curtailmentOrder,
      })),
    ).toEqual(expected.opportunities);
    expect(
      result.trades.map((t: Record<string, unknown>) => ({
        buyOrderId: t.buyOrderId,
        sellOrderId: t.sellOrderId,
        buyEntryId: t.buyEntryId,
        sellEntryId: t.sellEntryId,
        quantityMw: t.quantityMw,
        availabilityPrice: t.availabilityPrice,
        utilisationPrice: t.utilisationPrice,
      })),
    ).toEqual(expected.trades);
    const segments = result.meritOrders.flatMap(
      (c: { constraintId: string; segments: Record<string, unknown>[] }) =>
        c.segments.map((s) => ({
          constraintId: c.constraintId,
          validFrom: s.validFrom,
          validTo: s.validTo,
          entries: (s.entries as Record<string, unknown>[]).map((e) => ({
            curtailmentOrder: e.curtailmentOrder,
            entryId: e.entryId,
            parentEntryId: e.parentEntryId,
            capacityMw: e.capacityMw,
            curtailmentMw: e.curtailmentMw,
          })),
        })),
    );
    expect(segments).toEqual(expected.meritOrderSegments);
    expect(result.rejectedOrders).toEqual([]);
    // Slice ids carry the real trade ids, and every slice names its trade.
    for (const e of result.meritOrders[0].segments[0].entries)
      if (e.tradeId) expect(e.entryId).toBe(`${e.parentEntryId}/${e.tradeId}`);
  });

  it("gives byte-identical output on every run (R-MATCH-5)", async () => {
    const a = await simulateCli(SCENARIO);
    const b = simulate((parseScenario(scenarioJson()) as { ok: true; value: never }).value);
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(JSON.stringify(b)));
  });
});

/** The worked example moved to another delivery day, with the event at the same local hours. */
function scenarioOn(deliveryDate: string, periods: number, eventSps: number[]) {
  const s = scenarioJson();
  const required = Array.from({ length: periods }, () => 0);
  const profile = [4, 7, 7, 4];
  eventSps.forEach((sp, i) => {
    required[sp - 1] = profile[i]!;
  });
  s.lookAhead.deliveryDate = deliveryDate;
  s.lookAhead.constraints[0].requiredCurtailmentMw = required;
  for (const e of s.lookAhead.mols[0].entries) {
    e.forecastMw = Array.from({ length: periods }, () => e.forecastMw[0]);
    delete e.flexibleServiceWindows;
  }
  for (const o of s.orders) {
    delete o.windowStart;
    o.submittedAt = "2027-01-01T09:00:00Z";
  }
  return s;
}

describe("R-TIME-1 clock-change days end to end in simulate", () => {
  it.each([
    // 2027-03-28: clocks go forward at 01:00 GMT; SP 25 is 13:00 local = 12:00 UTC.
    {
      date: "2027-03-28",
      periods: 46,
      sps: [23, 24, 25, 26],
      start: "2027-03-28T11:00:00Z",
      end: "2027-03-28T13:00:00Z",
    },
    // 2027-10-31: clocks go back at 02:00 BST; 50 periods, SP 27 starts at 12:00 local = 12:00 UTC.
    {
      date: "2027-10-31",
      periods: 50,
      sps: [27, 28, 29, 30],
      start: "2027-10-31T12:00:00Z",
      end: "2027-10-31T14:00:00Z",
    },
  ])(
    "runs a $periods-period day ($date) from look-ahead to re-ordered MOL",
    async ({ date, periods, sps, start, end }) => {
      const path = writeTemp(`${date}.json`, JSON.stringify(scenarioOn(date, periods, sps)));
      const { code, stdout } = await simulateCli(path);
      expect(code).toBe(0);
      const result = JSON.parse(stdout);
      expect(result.settlementPeriods).toBe(periods);
      expect(result.markets).toHaveLength(1);
      expect(result.markets[0]).toMatchObject({
        windowStart: start,
        windowEnd: end,
        constraintSizeMw: 7,
      });
      expect(result.trades.map((t: { quantityMw: number }) => t.quantityMw)).toEqual([3, 1.5]);
      const segment = result.meritOrders[0].segments[0];
      expect(segment).toMatchObject({ validFrom: start, validTo: end });
      expect(segment.entries.map((e: { curtailmentMw: number[] }) => e.curtailmentMw[1])).toEqual([
        0, 3, 1.5, 1.5, 1, 0, 0, 0, 0,
      ]);
    },
  );

  it("refuses a 48-value look-ahead on a 50-period day, naming the field", async () => {
    const s = scenarioOn("2027-10-31", 50, [27, 28, 29, 30]);
    s.lookAhead.constraints[0].requiredCurtailmentMw.length = 48;
    const { code, stderr } = await simulateCli(writeTemp("bad.json", JSON.stringify(s)));
    expect(code).toBe(2);
    const problem = JSON.parse(stderr);
    expect(problem).toMatchObject({ status: 422, code: "LOOK_AHEAD_INVALID" });
    expect(problem.errors).toContainEqual({
      path: "lookAhead.constraints.0.requiredCurtailmentMw",
      message: expect.stringContaining("exactly 50 values"),
    });
  });
});

describe("invalid input to simulate", () => {
  it.each([
    ["not JSON", "{", "MALFORMED_JSON"],
    ["an array", "[]", "VALIDATION_FAILED"],
    [
      "a scenario with a wrong-typed order",
      JSON.stringify({ ...scenarioJson(), orders: [{ orderId: 1 }] }),
      "VALIDATION_FAILED",
    ],
  ])("exits 2 with a problem JSON for %s", async (_name, content, code) => {
    const result = await simulateCli(writeTemp("in.json", content));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    const problem = JSON.parse(result.stderr);
    expect(problem.code).toBe(code);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("names each bad field of an invalid look-ahead", async () => {
    const s = scenarioJson();
    s.lookAhead.mols[0].entries[1].entryId = "G4-A";
    s.lookAhead.mols[0].entries[2].curtailmentOrder = 9;
    s.lookAhead.constraints[0].requiredCurtailmentMw[3] = -1;
    const result = await simulateCli(writeTemp("la.json", JSON.stringify(s)));
    expect(result.code).toBe(2);
    const paths = JSON.parse(result.stderr).errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "lookAhead.mols.0.entries.1.entryId",
        "lookAhead.mols.0.entries",
        "lookAhead.constraints.0.requiredCurtailmentMw.3",
      ]),
    );
  });

  it("exits 2 for a missing file and for a missing argument", async () => {
    expect((await simulateCli("/nonexistent/scenario.json")).code).toBe(2);
    const problem = JSON.parse((await simulateCli("/nonexistent/scenario.json")).stderr);
    expect(problem.code).toBe("FILE_NOT_READABLE");
  });

  it("never throws on random JSON: every input is a scenario or a problem", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json().map((t) => JSON.parse(t)),
          fc.anything(),
        ),
        (input) => {
          const parsed = parseScenario(input);
          if (!parsed.ok) {
            expect(parsed.problem.status).toBeGreaterThanOrEqual(400);
            expect(parsed.problem.status).toBeLessThan(500);
          }
        },
      ),
      propertyParams("parseScenario on random JSON"),
    );
  });

  it("never throws on random mutations of the worked example", () => {
    const base = scenarioJson();
    const paths: (string | number)[][] = [
      ["lookAhead", "deliveryDate"],
      ["lookAhead", "constraints", 0, "requiredCurtailmentMw", 25],
      ["lookAhead", "mols", 0, "entries", 0, "capacityMw"],
      ["lookAhead", "mols", 0, "entries", 3, "flexibleServiceWindows", 0, "end"],
      ["lookAhead", "gateClosureAt"],
      ["orders", 0, "quantityMw"],
      ["orders", 2, "availabilityPrice"],
      ["assets", 0, "status"],
      ["config"],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
        const s = structuredClone(base);
        let at = s;
        for (const key of path.slice(0, -1)) at = at[key];
        at[path.at(-1)!] = value;
        const parsed = parseScenario(s);
        if (parsed.ok) expect(() => simulate(parsed.value)).not.toThrow();
        else expect(parsed.problem.errors?.length ?? 0).toBeGreaterThan(0);
      }),
      propertyParams("parseScenario on mutated scenarios"),
    );
  });
});
