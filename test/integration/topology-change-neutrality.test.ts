import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../functions/adapters/clock";
import { clockSource } from "../../functions/runtime/deps";
import { onboard, orderBodyOf, type Trader, waitFor } from "../../lib/client/api-client";
import { REPO_ROOT } from "../../lib/repo-root";
import { useLocalStack } from "../support/use-local-stack";

/**
 * Issue 16, "Done when" 4, through HTTP on the in-process local stack: a topology change whose
 * re-ordering would break neutrality (R-VERIFY-5, R-REORDER-5) cancels the trades concerned and
 * publishes the MOL unchanged from `c` (§19: the constraint's new version has no segments from
 * `c`, so the MOL in force after the change stands there).
 *
 * The constructed case is reached by the ordinary path, nothing forced: S-A sits in C0 (no
 * event, so R-ELIG-5 does not bind it) with a 1 MW forecast and in C1 with 3 MW, and sells B-A
 * 3 MW in C1's market (SP25–28); publication gives C1 version 1 with the swap. At 12:00 on the
 * day the ANM creates C9 (its own CLA, 8 MW in SP25–28) holding B-A, S-A and U-A: Act(B-A) =
 * Act(S-A) = {C1, C9}, so the trade stands under R-VERIFY-4 and applies in C9 too (D-62), where
 * S-A has its C0 forecast (D-65) and can give back only 1 of the 3 MW swapped — U-A behind it
 * would be curtailed 2 MW less. R-REORDER-5 fails, so the trade is cancelled from c = SP26 and
 * C1's version 2 keeps version 1's segment before c only; C9 gets no version (D-265). The POST answer,
 * the trade and version 2 equal `npm run simulate -- --post-trade` on the same inputs.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const local = useLocalStack();
const dirs: string[] = [];
afterAll(() => {
  clockSource.current = systemClock;
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type Json = Record<string, any>;

const DATE = "2027-06-14";
const SCHEME = `NEUTRAL-${process.pid}`;
const sps = (at: Record<number, number>, base = 0) =>
  Array.from({ length: 48 }, (_, i) => at[i + 1] ?? base);
const flat = (mw: number) => sps({}, mw);
const WINDOW = (mw: number) => sps({ 25: mw, 26: mw, 27: mw, 28: mw });
const entry = (entryId: string, capacityMw: number, forecastMw: number, order: number) => ({
  entryId,
  resourceId: entryId.split("-")[0],
  capacityMw,
  forecastMw: flat(forecastMw),
  curtailmentOrder: order,
});

const CHANGE = {
  topologyChangeId: "TC-NEUTRAL-001",
  anmSchemeId: SCHEME,
  deliveryDate: DATE,
  effectiveFrom: "2027-06-14T12:00:00+01:00",
  constraints: [
    {
      constraintId: "C9",
      name: "11kV feeder export (new circuit)",
      requiredCurtailmentMw: WINDOW(8),
      entries: [
        { entryId: "B-A", resourceId: "B", capacityMw: 5, curtailmentOrder: 1 },
        { entryId: "S-A", resourceId: "S", capacityMw: 5, curtailmentOrder: 2 },
        { entryId: "U-A", resourceId: "U", capacityMw: 10, curtailmentOrder: 3 },
      ],
    },
  ],
};
const RECEIVED = "2027-06-14T12:00:00+01:00";

/** `npm run simulate -- --post-trade` on a scenario file (spawned, as the CLI runs). */
async function simulate(scenario: Json): Promise<Json> {
  const dir = mkdtempSync(join(tmpdir(), "bitrader-neutral-sim-"));
  dirs.push(dir);
  const file = join(dir, "scenario.json");
  writeFileSync(file, JSON.stringify(scenario));
  const run = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "bin/simulate.ts", "--post-trade", file],
    { cwd: REPO_ROOT, encoding: "utf8", timeout: 180_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(run.stdout).variants[0];
}

describe("a topology change whose re-ordering would break neutrality, through the API (R-VERIFY-5)", () => {
  const traders = new Map<string, Trader>();
  let lookAhead: Json;
  let orders: Json[];
  let tradeId: string;
  let v1: Json;
  let answer: Json;
  const rename = (value: unknown): Json =>
    JSON.parse(JSON.stringify(value).split(tradeId).join("T1"));

  it("runs the day-ahead market: S-A sells B-A 3 MW in C1, version 1 carries the swap", async () => {
    clockSource.current = systemClock;
    const operator = local.stack.keys.operator;
    for (const [name, entryId] of [
      ["NBUY", "B-A"],
      ["NSELL", "S-A"],
    ] as const)
      traders.set(
        entryId,
        await onboard(local.api, operator, { name, anmSchemeId: SCHEME, entryIds: [entryId] }),
      );
    lookAhead = {
      lookAheadId: `LA-${SCHEME}`,
      anmSchemeId: SCHEME,
      deliveryDate: DATE,
      issuedAt: new Date().toISOString(),
      gateClosureAt: new Date(Date.now() + 30_000).toISOString(),
      constraints: [
        { constraintId: "C0", name: "spur (no event)", requiredCurtailmentMw: flat(0) },
        { constraintId: "C1", name: "33kV circuit export", requiredCurtailmentMw: WINDOW(3) },
      ],
      mols: [
        { constraintId: "C0", version: 1, entries: [entry("S-A", 5, 1, 1)] },
        {
          constraintId: "C1",
          version: 1,
          entries: [entry("B-A", 5, 3, 1), entry("S-A", 5, 3, 2), entry("U-A", 10, 10, 3)],
        },
      ],
    };
    const { cycleId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body: lookAhead,
    });
    await waitFor(
      () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: operator }),
      (c) => c.status === "markets-open" || c.status === "failed",
      60_000,
    );
    const { items: markets } = await local.api.expect(200, "GET", `/markets?deliveryDate=${DATE}`, {
      key: operator,
    });
    const mine = markets.filter((m: Json) => m.anmSchemeId === SCHEME);
    expect(mine.map((m: Json) => m.constraintId)).toEqual(["C1"]);
    const windowStart = "2027-06-14T11:00:00Z";
    orders = [
      {
        orderId: "b1",
        participantId: traders.get("B-A")!.participantId,
        entryId: "B-A",
        side: "buy",
        quantityMw: 3,
        availabilityPrice: 50,
        utilisationPrice: 50,
        submittedAt: new Date().toISOString(),
        constraintId: "C1",
        windowStart,
      },
      {
        orderId: "o1",
        participantId: traders.get("S-A")!.participantId,
        entryId: "S-A",
        side: "sell",
        quantityMw: 3,
        availabilityPrice: 10,
        utilisationPrice: 10,
        serviceType: "generation-turn-down",
        submittedAt: new Date(Date.now() + 1000).toISOString(),
        constraintId: "C1",
        windowStart,
      },
    ];
    for (const o of orders)
      await local.api.expect(201, "POST", "/orders", {
        key: traders.get(o.entryId)!.apiKey,
        body: orderBodyOf(o as never, mine[0].marketId),
      });
    const cycle = await waitFor(
      () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: operator }),
      (c) => c.status === "published" || c.status === "failed",
      180_000,
      500,
    );
    expect(cycle.status).toBe("published");
    const { items: trades } = await local.api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: operator,
    });
    const ours = trades.filter((t: Json) => t.buyEntryId === "B-A" && t.sellEntryId === "S-A");
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ status: "confirmed", quantityMw: 3 });
    tradeId = ours[0].tradeId;
    v1 = await local.api.expect(
      200,
      "GET",
      `/anm/merit-order?anmSchemeId=${SCHEME}&deliveryDate=${DATE}&constraintId=C1`,
      { key: local.stack.keys.anm },
    );
    expect(v1).toMatchObject({ version: 1, reason: "day-ahead", fallback: false });
    expect(v1.segments.map((s: Json) => [s.validFrom, s.validTo])).toEqual([
      ["2027-06-14T11:00:00Z", "2027-06-14T13:00:00Z"],
    ]);
    expect(JSON.stringify(v1.segments)).toContain(`S-A/${tradeId}`);
  }, 300_000);

  it("at 12:00 on the day cancels the trade from SP26 and publishes C1 version 2 without the swap from c", async () => {
    const receivedMs = Date.parse(RECEIVED);
    clockSource.current = { nowMs: () => receivedMs };
    answer = await local.api.expect(201, "POST", "/anm/topology-changes", {
      key: local.stack.keys.anm,
      body: CHANGE,
    });
    expect(rename(answer)).toMatchObject({
      topologyChangeId: CHANGE.topologyChangeId,
      effect: "applied",
      cancellationSp: 26,
      cancellationFrom: "2027-06-14T11:30:00Z",
      cancelledTrades: [{ tradeId: "T1", cancelledFromSp: 26 }],
      publishedVersions: [{ constraintId: "C1", version: 2 }],
    });
    const { items: trades } = await local.api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: traders.get("B-A")!.apiKey,
    });
    expect(rename(trades)).toEqual([
      expect.objectContaining({
        tradeId: "T1",
        status: "cancelled",
        cancelledFromSp: 26,
        cancelledFrom: "2027-06-14T11:30:00Z",
        cancellationReason: "topology-change",
        topologyChangeId: CHANGE.topologyChangeId,
      }),
    ]);
    const v2 = await local.api.expect(
      200,
      "GET",
      `/anm/merit-order?anmSchemeId=${SCHEME}&deliveryDate=${DATE}&constraintId=C1`,
      { key: local.stack.keys.anm },
    );
    expect(v2).toMatchObject({
      version: 2,
      supersedesVersion: 1,
      reason: "topology-change",
      topologyChangeId: CHANGE.topologyChangeId,
    });
    // Before c (SP25) version 1's segment, exactly as published; from c (SP26–28) no segment:
    // the MOL in force after the change — C1's own, which the change did not touch — stands.
    expect(v2.segments.map((s: Json) => [s.validFrom, s.validTo])).toEqual([
      ["2027-06-14T11:00:00Z", "2027-06-14T11:30:00Z"],
    ]);
    const firstSp = (segment: Json) => ({
      ...segment,
      validTo: "2027-06-14T11:30:00Z",
      entries: segment.entries.map((l: Json) => ({
        ...l,
        forecastMw: l.forecastMw.slice(0, 1),
        curtailmentMw: l.curtailmentMw.slice(0, 1),
      })),
    });
    expect(v2.segments[0]).toEqual(firstSp(v1.segments[0]));
    expect(v2.cancelledTradeIds).toEqual([tradeId]);
    // The MOL itself is published unchanged: version 2's base is version 1's. (Version 1 shows
    // the look-ahead's entries as sent, a change's version the core's view of them, which spells
    // out the `tradable` default: compared without it.)
    const asSent = (entries: Json[]) => entries.map(({ tradable: _t, ...e }) => e);
    expect(asSent(v2.base.entries)).toEqual(asSent(v1.base.entries));
    expect(v2.base.entries.map((e: Json) => e.tradable)).toEqual([true, true, true]);
    // C9 was not re-ordered (its trade is gone): no version at all (D-265).
    await local.api.expect(
      404,
      "GET",
      `/anm/merit-order?anmSchemeId=${SCHEME}&deliveryDate=${DATE}&constraintId=C9`,
      { key: local.stack.keys.anm },
    );
  }, 120_000);

  it("gives the same answer, trade and version as simulate --post-trade on the same inputs", async () => {
    const participants = [...traders.values()].map((t) => ({
      participantId: t.participantId,
      status: "approved",
    }));
    const assets = [...traders].map(([entryId, t]) => ({
      assetId: `A-${entryId}`,
      participantId: t.participantId,
      status: "qualified",
      molEntryIds: [entryId],
    }));
    const sim = await simulate({
      lookAhead,
      participants,
      assets,
      orders,
      trades: [{ tradeId: "T1", buyOrderId: "b1", sellOrderId: "o1" }],
      variants: [
        {
          name: "neutrality-broken",
          topologyChanges: [{ body: CHANGE, receivedAt: answer.receivedAt }],
        },
      ],
    });
    expect(sim.rejected ?? []).toEqual([]);
    const { replayed: _r, ...simulated } = sim.topologyChanges[0];
    expect(rename(answer)).toEqual(simulated);
    const v2 = await local.api.expect(
      200,
      "GET",
      `/anm/merit-order?anmSchemeId=${SCHEME}&deliveryDate=${DATE}&constraintId=C1&version=2`,
      { key: local.stack.keys.anm },
    );
    const { fallback, ...shown } = rename(v2);
    expect(fallback).toBe(false);
    expect(shown).toEqual(
      sim.meritOrders.find((m: Json) => m.constraintId === "C1" && m.version === 2),
    );
    expect(sim.meritOrders.filter((m: Json) => m.constraintId === "C9")).toEqual([]);
    const { items: trades } = await local.api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: traders.get("S-A")!.apiKey,
    });
    const t1 = rename(trades)[0];
    for (const field of [
      "status",
      "cancelledFromSp",
      "cancelledFrom",
      "cancellationReason",
      "topologyChangeId",
    ])
      expect(t1[field], field).toEqual(sim.cancellations[0][field]);
  }, 240_000);
});
