import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../functions/adapters/clock";
import { simulatePostTrade } from "../../functions/core/use-cases/simulate-post-trade";
import { clockSource } from "../../functions/runtime/deps";
import { onboard, orderBodyOf, type Trader, waitFor } from "../../lib/client/api-client";
import { parsedPostTrade, postTradeExample } from "../support/post-trade-example";
import { useLocalStack } from "../support/use-local-stack";

/**
 * The post-trade worked example through HTTP on the local stack: variants A (full delivery),
 * B (seller short), C (no constraint) and F (missing meter data, a correction and a re-run),
 * each on its own scheme of the same delivery day so that one month's runs settle them all.
 * The day-ahead market runs on the real clock (gate closure a few seconds ahead); the days after
 * are walked through the clock port the local stack's handlers read (`clockSource`, the same
 * one the trial clock sets): actuals and meter data on D+1 (one entry as JSON, one as CSV), a
 * refused run on the 1st, the run on the 6th of the next month, the operator's correction on the
 * 8th, a second run on the 9th and a third (which changes nothing) on the 10th. Every
 * performance figure, statement, line and version is compared mechanically with
 * `simulate --post-trade` on the same scenario, and the statements with the worked example.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const local = useLocalStack();
afterAll(() => {
  clockSource.current = systemClock;
});

const example = postTradeExample();
const simulated = simulatePostTrade(parsedPostTrade(example));
const VARIANTS = [
  "full-delivery",
  "seller-short",
  "no-constraint",
  "missing-meter-and-rerun",
  "topology-change",
];
const DATE = example.lookAhead.deliveryDate as string;
const SCHEME_OF_EXAMPLE = example.lookAhead.anmSchemeId as string;
const MONTH = DATE.slice(0, 7);
type Item = Record<string, any>;

interface World {
  name: string;
  scheme: string;
  variant: Item;
  traders: Map<string, Trader>;
  /** Scenario trade name (T1, T2) → the platform's trade id, and back. */
  tradeIds: Map<string, string>;
  tradeNames: Map<string, string>;
  cycleId?: string;
}

const worlds: World[] = VARIANTS.map((name, i) => ({
  name,
  scheme: `PT-${process.pid}-${i}`,
  variant: example.variants.find((v: Item) => v.name === name),
  traders: new Map(),
  tradeIds: new Map(),
  tradeNames: new Map(),
}));

const at = (iso: string) => {
  const ms = Date.parse(iso);
  clockSource.current = { nowMs: () => ms };
};

/** A scenario body for a world: its scheme instead of the example's, trade names as ids. */
function forWorld(w: World, body: unknown): any {
  const text = JSON.stringify(body).replaceAll(example.lookAhead.anmSchemeId, w.scheme);
  return JSON.parse(
    text.replace(
      /"([A-Z0-9-]+)\/(T\d+)"/g,
      (_, parent, name) => `"${parent}/${w.tradeIds.get(name)}"`,
    ),
  );
}

const participantOf = (w: World, participantId: string) =>
  [...w.traders].find(([, t]) => t.participantId === participantId)?.[0];

/** The simulation's variant, with what the platform names differently taken out. */
function simulatedVariant(name: string) {
  return simulated.variants.find((v) => v.name === name)!;
}

const byParticipant = (a: Item, b: Item) => a.participantId.localeCompare(b.participantId);
const withoutIds = ({ tradeId: _t, marketId: _m, ...rest }: Item) => rest;
const byRoleAndEntry = (a: Item, b: Item) =>
  `${a.role}${a.entryId}${a.counterpartyEntryId}`.localeCompare(
    `${b.role}${b.entryId}${b.counterpartyEntryId}`,
  );

describe("the post-trade worked example through the API, against simulate --post-trade", () => {
  it("runs each variant's day-ahead market: onboarding, look-ahead, orders, publication", async () => {
    clockSource.current = systemClock;
    // Onboarding first: on a loaded machine it alone can take longer than the market stays open.
    for (const w of worlds)
      for (const asset of example.assets)
        w.traders.set(
          asset.participantId,
          await onboard(local.api, local.stack.keys.operator, {
            name: `${asset.participantId.toUpperCase()}${w.name.length}`,
            anmSchemeId: w.scheme,
            entryIds: asset.molEntryIds,
          }),
        );
    const gateClosureAt = new Date(Date.now() + 40_000).toISOString();
    for (const w of worlds) {
      const accepted = await local.api.expect(202, "POST", "/anm/look-aheads", {
        key: local.stack.keys.anm,
        body: { ...forWorld(w, example.lookAhead), gateClosureAt },
      });
      w.cycleId = accepted.cycleId;
    }
    for (const w of worlds) {
      await waitFor(
        () =>
          local.api.expect(200, "GET", `/cycles/${w.cycleId}`, { key: local.stack.keys.operator }),
        (c) => c.status === "markets-open",
      );
      const { items: markets } = await local.api.expect(
        200,
        "GET",
        `/markets?deliveryDate=${DATE}`,
        {
          key: local.stack.keys.operator,
        },
      );
      const market = markets.find((m: Item) => m.anmSchemeId === w.scheme);
      const orderIds = new Map<string, string>();
      for (const o of example.orders) {
        const order = await local.api.expect(201, "POST", "/orders", {
          key: w.traders.get(o.participantId)!.apiKey,
          body: orderBodyOf(o, market.marketId),
        });
        orderIds.set(o.orderId, order.orderId);
      }
      // Nominations before gate closure (R-PERF-3), as each seller sends them.
      for (const n of w.variant.nominations ?? []) {
        const owner = example.assets.find((a: Item) => a.molEntryIds.includes(n.body.entryId));
        const key = w.traders.get(owner.participantId)!.apiKey;
        const body = forWorld(w, n.body);
        const short = await local.api.request("PUT", "/baselines", {
          key,
          body: { ...body, nominatedMw: body.nominatedMw.slice(1) },
        });
        expect([short.status, short.body.code]).toEqual([422, "BASELINE_INVALID"]);
        const notOwn = await local.api.request("PUT", "/baselines", {
          key: w.traders.get("g2")!.apiKey,
          body,
        });
        expect([notOwn.status, notOwn.body.code]).toEqual([404, "NOT_FOUND"]);
        const idempotencyKey = `nom-${w.scheme}-${body.entryId}`;
        const held = await local.api.expect(200, "PUT", "/baselines", {
          key,
          body,
          headers: { "idempotency-key": idempotencyKey },
        });
        expect(held.version).toBe(1);
        const reused = await local.api.request("PUT", "/baselines", {
          key,
          body: { ...body, nominatedMw: body.nominatedMw.map(() => 0) },
          headers: { "idempotency-key": idempotencyKey },
        });
        expect([reused.status, reused.body.code]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
      }
      w.tradeIds.clear();
      for (const t of example.trades) {
        w.tradeIds.set(t.tradeId, `${orderIds.get(t.buyOrderId)}|${orderIds.get(t.sellOrderId)}`);
      }
    }
    for (const w of worlds) {
      const cycle = await waitFor(
        () =>
          local.api.expect(200, "GET", `/cycles/${w.cycleId}`, { key: local.stack.keys.operator }),
        (c) => c.status === "published" || c.status === "failed",
        90_000,
      );
      expect(cycle.status).toBe("published");
    }
    const { items: trades } = await local.api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: local.stack.keys.operator,
    });
    for (const w of worlds)
      for (const [name, pair] of w.tradeIds) {
        const [buy, sell] = pair.split("|");
        const trade = trades.find((t: Item) => t.buyOrderId === buy && t.sellOrderId === sell);
        expect(trade, `${w.name} ${name}`).toBeDefined();
        w.tradeIds.set(name, trade.tradeId);
        w.tradeNames.set(trade.tradeId, name);
      }
  }, 240_000);

  it("takes D's topology change at 12:41:05 on the day (R-VERIFY-3/4: T1 cancelled from SP28, settled on its valid SPs, D-296) and its replay", async () => {
    const w = worlds.find((x) => x.name === "topology-change")!;
    const sim = simulatedVariant(w.name);
    for (const [i, { body, receivedAt }] of (w.variant.topologyChanges as Item[]).entries()) {
      at(receivedAt);
      const answer = await local.api.expect(i === 0 ? 201 : 200, "POST", "/anm/topology-changes", {
        key: local.stack.keys.anm,
        body: forWorld(w, body),
      });
      const { replayed: _r, ...want } = (sim.topologyChanges as Item[])[i]!;
      // Market ids are the platform's (they name the scheme): compared without them.
      const named = JSON.parse(
        [...w.tradeNames].reduce((t, [id, name]) => t.split(id).join(name), JSON.stringify(answer)),
      );
      const unmarked = (r: Item) => ({
        ...r,
        cancelledTrades: r.cancelledTrades.map(({ marketId: _m, ...c }: Item) => c),
      });
      expect(unmarked(named)).toEqual(
        unmarked(JSON.parse(JSON.stringify(want).replaceAll(SCHEME_OF_EXAMPLE, w.scheme))),
      );
    }
    const { items } = await local.api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: w.traders.get("g4")!.apiKey,
    });
    expect(
      items.map((t: Item) => [w.tradeNames.get(t.tradeId), t.status, t.cancelledFromSp ?? null]),
    ).toEqual([
      ["T1", "cancelled", 28],
      ["T2", "confirmed", null],
    ]);
  });

  it("takes the ANM's actuals on D+1, refusing them before the day ended", async () => {
    const first = worlds[0]!;
    at("2027-06-14T23:59:00+01:00");
    const early = await local.api.request("POST", "/anm/actuals", {
      key: local.stack.keys.anm,
      body: forWorld(first, first.variant.anmActuals[0].body),
    });
    expect([early.status, early.body.code]).toEqual([409, "DELIVERY_DAY_NOT_ENDED"]);
    for (const w of worlds) {
      const { body, receivedAt } = w.variant.anmActuals[0];
      at(receivedAt);
      const receipt = await local.api.expect(202, "POST", "/anm/actuals", {
        key: local.stack.keys.anm,
        body: forWorld(w, body),
        headers: { "idempotency-key": `act-${w.scheme}` },
      });
      const reused = await local.api.request("POST", "/anm/actuals", {
        key: local.stack.keys.anm,
        body: { ...forWorld(w, body), actualsId: "ACT-OTHER" },
        headers: { "idempotency-key": `act-${w.scheme}` },
      });
      expect([reused.status, reused.body.code]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
      expect(receipt).toMatchObject({
        actualsId: body.actualsId,
        receivedAt: new Date(Date.parse(receivedAt)).toISOString().replace(".000", ""),
        constraints: body.constraints.length,
        entries: body.availablePower.length,
      });
      const again = await local.api.expect(202, "POST", "/anm/actuals", {
        key: local.stack.keys.anm,
        body: forWorld(w, body),
      });
      expect(again).toEqual(receipt);
    }
    const changed = structuredClone(forWorld(first, first.variant.anmActuals[0].body));
    changed.constraints[0].requiredCurtailmentMw[0] = 1;
    const conflict = await local.api.request("POST", "/anm/actuals", {
      key: local.stack.keys.anm,
      body: changed,
    });
    expect([conflict.status, conflict.body.code]).toEqual([409, "ACTUALS_CONFLICT"]);
    const unknown = structuredClone(forWorld(first, first.variant.anmActuals[0].body));
    unknown.actualsId = "ACT-UNKNOWN-ENTRY";
    unknown.availablePower[0].entryId = "NOT-AN-ENTRY";
    const invalid = await local.api.request("POST", "/anm/actuals", {
      key: local.stack.keys.anm,
      body: unknown,
    });
    expect([invalid.status, invalid.body.code]).toEqual([422, "ACTUALS_INVALID"]);
    const held = await local.api.expect(
      200,
      "GET",
      `/anm/actuals?anmSchemeId=${first.scheme}&deliveryDate=${DATE}`,
      { key: local.stack.keys.operator },
    );
    expect(held.constraints.map((c: Item) => c.actualsId)).toEqual(["ACT-2027-06-14-1"]);
    const late = await local.api.request("PUT", "/baselines", {
      key: first.traders.get("g5")!.apiKey,
      body: forWorld(first, first.variant.nominations[0].body),
    });
    expect([late.status, late.body.code]).toEqual([409, "BASELINE_DEADLINE_PASSED"]);
  });

  it("takes meter data as JSON and as CSV, each from the entry's own participant", async () => {
    for (const w of worlds)
      for (const m of w.variant.meterReadings ?? []) {
        if (m.uploadedBy === "operator") continue;
        at(m.receivedAt);
        const entryId =
          m.contentType === "text/csv"
            ? m.body.split("\r\n")[1].split(",")[1]
            : m.body.readings[0].entryId;
        const owner = example.assets.find((a: Item) => a.molEntryIds.includes(entryId));
        const key = w.traders.get(owner.participantId)!.apiKey;
        const answer =
          w === worlds[1] && m.contentType === "application/json"
            ? await throughUpload(key, JSON.stringify(forWorld(w, m.body)))
            : await local.api.expect(201, "POST", "/meter-readings", {
                key,
                body: forWorld(w, m.body),
                headers: {
                  "content-type": m.contentType,
                  "idempotency-key": `mtr-${w.scheme}-${m.receivedAt}`,
                },
              });
        const reused = await local.api.request("POST", "/meter-readings", {
          key,
          body: { readings: [] },
          headers: { "idempotency-key": `mtr-${w.scheme}-${m.receivedAt}` },
        });
        if (w !== worlds[1] || m.contentType !== "application/json")
          expect([reused.status, reused.body.code]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
        const simulatedUpload = (simulatedVariant(w.name).meterUploads as Item[]).find(
          (u: Item) => u.receivedAt === answer.receivedAt,
        )!;
        expect(answer.days.map(({ anmSchemeId: _s, ...d }: Item) => d)).toEqual(
          simulatedUpload.days.map(({ anmSchemeId: _s, ...d }: Item) => d),
        );
        expect(answer.readingCount).toBe(simulatedUpload.readingCount);
      }
  });

  it("refuses another participant's entry as an unknown entry, and a wrong media type with 415", async () => {
    const w = worlds[0]!;
    const m = w.variant.meterReadings.find((x: Item) => x.contentType === "application/json");
    const other = await local.api.request("POST", "/meter-readings", {
      key: w.traders.get("g4")!.apiKey,
      body: forWorld(w, m.body),
    });
    expect([other.status, other.body.code]).toEqual([422, "METER_READINGS_INVALID"]);
    expect(other.body.errors[0]).toEqual({ path: "readings.0.entryId", message: "unknown entry" });
    const xml = await local.api.request("POST", "/meter-readings", {
      key: w.traders.get("g5")!.apiKey,
      body: "<readings/>",
      headers: { "content-type": "application/xml" },
    });
    expect([xml.status, xml.body.code]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
  });

  it("refuses a run before the month is settleable, then settles on the 6th", async () => {
    for (const run of worlds[3]!.variant.settlementRuns.slice(0, 2)) await settle(run.runAt);
  }, 120_000);

  it("takes the operator's correction for F and issues version 2 only where lines changed", async () => {
    const w = worlds[3]!;
    const correction = w.variant.meterReadings.find((m: Item) => m.uploadedBy === "operator");
    at(correction.receivedAt);
    const answer = await local.api.expect(201, "POST", "/meter-readings", {
      key: local.stack.keys.operator,
      body: forWorld(w, correction.body),
    });
    expect(answer.days.every((d: Item) => d.countsForSettlement)).toBe(true);
    for (const run of w.variant.settlementRuns.slice(2)) await settle(run.runAt);
  }, 120_000);

  it.each(worlds.map((w) => [w.name, w] as const))(
    "%s: performance through HTTP equals simulate --post-trade",
    async (_, w) => {
      const got: Item[] = [];
      for (const participant of ["g1", "g4", "g5"]) {
        const { items } = await local.api.expect(200, "GET", `/performance?deliveryDate=${DATE}`, {
          key: w.traders.get(participant)!.apiKey,
        });
        got.push(...items);
      }
      const want = simulatedVariant(w.name).performance as Item[];
      expect(got.map((i) => w.tradeNames.get(i.tradeId)).sort()).toEqual(
        want.map((i) => i.tradeId).sort(),
      );
      expect(got.map(withoutIds).sort(byRoleAndEntry)).toEqual(
        want.map(withoutIds).sort(byRoleAndEntry),
      );
      const buyer = got.find((i) => i.role === "buyer")!;
      expect(Object.keys(buyer.periods[0])).not.toContain("meteredMw");
    },
  );

  it.each(worlds.map((w) => [w.name, w] as const))(
    "%s: every statement version and line equals simulate --post-trade and the worked example",
    async (_, w) => {
      const sim = simulatedVariant(w.name);
      const heads: Item[] = [];
      const lines: Item[] = [];
      for (const [name, trader] of w.traders) {
        const { items } = await local.api.expect(200, "GET", `/statements?month=${MONTH}`, {
          key: trader.apiKey,
        });
        for (const latest of items)
          for (let version = 1; version <= latest.version; version += 1) {
            const s = await local.api.expect(
              200,
              "GET",
              `/statements/${latest.statementId}?version=${version}`,
              { key: trader.apiKey },
            );
            const { lines: own, statementId: _i, participantId: _p, ...head } = s;
            heads.push({ ...head, participantId: name });
            if (version === latest.version)
              lines.push(
                ...own.map(({ statementId: _s, ...l }: Item) => ({
                  ...withoutIds(l),
                  participantId: name,
                  tradeId: w.tradeNames.get(l.tradeId),
                })),
              );
          }
      }
      const strip = ({ statementId: _i, ...rest }: Item) => rest;
      const key = (s: Item) => `${s.participantId} v${s.version}`;
      expect(heads.map(key).sort()).toEqual(sim.statements.map(key).sort());
      for (const s of sim.statements)
        expect(heads.find((h) => key(h) === key(s))).toEqual(strip(s));
      const lineKey = (l: Item) => `${l.participantId} ${l.tradeId} ${l.role}`;
      const want = sim.settlementLines.map(
        ({ statementId: _i, marketId: _m, ...l }: Item) => l,
      ) as Item[];
      expect(lines.map(lineKey).sort()).toEqual(want.map(lineKey).sort());
      for (const l of want) expect(lines.find((g) => lineKey(g) === lineKey(l))).toEqual(l);
      for (const e of w.variant.expected.statements)
        expect(heads.find((h) => key(h) === key(e))).toMatchObject(e);
    },
  );

  it.each(worlds.map((w) => [w.name, w] as const))(
    "%s: the Curtailment Index through HTTP equals simulate --post-trade",
    async (_, w) => {
      const { items } = await local.api.expect(
        200,
        "GET",
        "/curtailment-index?financialYear=2027-28",
        { key: local.stack.keys.operator },
      );
      const strip = ({ anmSchemeId: _s, asOf: _a, ...rest }: Item) => rest;
      const got = (items as Item[]).filter((r) => r.anmSchemeId === w.scheme).map(strip);
      const want = (simulatedVariant(w.name).curtailmentIndex as Item[]).map(strip);
      expect(got).toEqual(want);
      const own = await local.api.expect(
        200,
        "GET",
        "/curtailment-index?financialYear=2027-28&entryId=G5-A",
        { key: w.traders.get("g5")!.apiKey },
      );
      expect(own.items.map(strip)).toEqual(want.filter((r) => r.entryId === "G5-A"));
      const other = await local.api.request(
        "GET",
        "/curtailment-index?financialYear=2027-28&entryId=G5-A",
        { key: w.traders.get("g4")!.apiKey },
      );
      expect([other.status, other.body.code]).toEqual([404, "NOT_FOUND"]);
    },
  );

  it("shows an ANM key bound to a scheme that scheme's index rows only (D-231)", async () => {
    const all = await local.api.expect(200, "GET", "/curtailment-index?financialYear=2027-28", {
      key: local.stack.keys.operator,
    });
    const schemes = new Set((all.items as Item[]).map((r) => r.anmSchemeId));
    expect(schemes.size).toBeGreaterThan(1);
    const boot = await local.api.expect(200, "GET", "/curtailment-index?financialYear=2027-28", {
      key: local.stack.keys.anm,
    });
    expect(boot.items).toHaveLength(all.items.length);
    const w = worlds[0]!;
    await local.api.expect(201, "PUT", `/schemes/${w.scheme}`, {
      key: local.stack.keys.operator,
      body: { name: `Scheme ${w.scheme}`, effectiveFrom: "2028-01-01", config: {} },
    });
    const bound = await local.api.expect(201, "POST", `/schemes/${w.scheme}/anm-keys`, {
      key: local.stack.keys.operator,
      body: { name: "bound ANM" },
    });
    const own = await local.api.expect(200, "GET", "/curtailment-index?financialYear=2027-28", {
      key: bound.apiKey,
    });
    expect(own.items.length).toBeGreaterThan(0);
    expect(own.items).toEqual(
      (all.items as Item[])
        .filter((r) => r.anmSchemeId === w.scheme)
        .map((r) => ({
          ...r,
          asOf: expect.any(String),
        })),
    );
  });

  it("shows each seller its baselines and readings, and none of another's", async () => {
    const w = worlds[0]!;
    const g5 = w.traders.get("g5")!;
    const { items } = await local.api.expect(
      200,
      "GET",
      `/baselines?deliveryDate=${DATE}&entryId=G5-A`,
      { key: g5.apiKey },
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ entryId: "G5-A", method: "nomination-capped" });
    const other = await local.api.request("GET", `/baselines?deliveryDate=${DATE}&entryId=G5-A`, {
      key: w.traders.get("g4")!.apiKey,
    });
    expect([other.status, other.body.code]).toEqual([404, "NOT_FOUND"]);
    const readings = await local.api.expect(
      200,
      "GET",
      `/meter-readings?entryId=G5-A&deliveryDate=${DATE}&direction=export`,
      { key: g5.apiKey },
    );
    expect(readings.items).toHaveLength(1);
    expect(readings.items[0].readings).toHaveLength(48);
  });

  it("refuses an unknown upload (404) and one whose file never came (409 UPLOAD_NOT_RECEIVED)", async () => {
    const g5 = worlds[0]!.traders.get("g5")!.apiKey;
    const unknown = await local.api.request("POST", "/meter-readings", {
      key: g5,
      body: { uploadId: "mup-00000000000000000000" },
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, "NOT_FOUND"]);
    const session = await local.api.expect(201, "POST", "/meter-uploads", {
      key: g5,
      body: { contentType: "text/csv", contentLength: 100 },
      headers: { "idempotency-key": "upload-session-1" },
    });
    const reused = await local.api.request("POST", "/meter-uploads", {
      key: g5,
      body: { contentType: "text/csv", contentLength: 101 },
      headers: { "idempotency-key": "upload-session-1" },
    });
    expect([reused.status, reused.body.code]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
    const empty = await local.api.request("POST", "/meter-readings", {
      key: g5,
      body: { uploadId: session.uploadId },
    });
    expect([empty.status, empty.body.code]).toEqual([409, "UPLOAD_NOT_RECEIVED"]);
    const others = await local.api.request("POST", "/meter-readings", {
      key: worlds[0]!.traders.get("g4")!.apiKey,
      body: { uploadId: session.uploadId },
    });
    expect([others.status, others.body.code]).toEqual([404, "NOT_FOUND"]);
  });

  it("serves a statement as the R-SETTLE-8 CSV, refuses other Accept with 406, hides others' with 404", async () => {
    const w = worlds[1]!;
    const g5 = w.traders.get("g5")!;
    const { items } = await local.api.expect(200, "GET", `/statements?month=${MONTH}`, {
      key: g5.apiKey,
    });
    const id = items[0].statementId;
    const csv = await fetch(`${local.stack.url}/statements/${id}`, {
      headers: { "x-api-key": g5.apiKey, accept: "text/csv" },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toBe(
      `attachment; filename="${id}-v${items[0].version}.csv"`,
    );
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toMatch(/^statementId,version,/);
    const pdf = await local.api.request("GET", `/statements/${id}`, {
      key: g5.apiKey,
      headers: { accept: "application/pdf" },
    });
    expect([pdf.status, pdf.body.code]).toEqual([406, "NOT_ACCEPTABLE"]);
    const other = await local.api.request("GET", `/statements/${id}`, {
      key: w.traders.get("g4")!.apiKey,
    });
    expect(other.status).toBe(404);
  });
});

/**
 * A meter file through the pre-signed upload: the session, the PUT to its URL with the headers
 * it names, then `POST /meter-readings { uploadId }` asked until the file is processed — the
 * answer a body would have had.
 */
async function throughUpload(key: string, file: string) {
  const bytes = Buffer.from(file, "utf8");
  const session = await local.api.expect(201, "POST", "/meter-uploads", {
    key,
    body: { contentType: "application/json", contentLength: bytes.length },
  });
  expect(session.method).toBe("PUT");
  const put = await fetch(session.uploadUrl, {
    method: "PUT",
    headers: session.headers,
    body: bytes,
  });
  expect(put.status).toBe(200);
  // The file is processed by the bucket's event (D-232): 202 `processing` until it is done.
  const done = await waitFor(
    () =>
      local.api.request("POST", "/meter-readings", { key, body: { uploadId: session.uploadId } }),
    (r) => r.status !== 202,
  );
  expect(done.status).toBe(201);
  const answer = done.body;
  expect(answer.uploadId).toBe(session.uploadId);
  const again = await local.api.expect(201, "POST", "/meter-readings", {
    key,
    body: { uploadId: session.uploadId },
  });
  expect(again).toEqual(answer);
  return answer;
}

/**
 * One scheduled run of variant F's list (all worlds share the month): refused before the 6th,
 * otherwise started, completed, and its statements summary equal to the simulation's run.
 */
async function settle(runAt: string) {
  at(runAt);
  const sim = simulatedVariant("missing-meter-and-rerun");
  const rejected = sim.rejected.find((r: Item) => r.input === "settlementRun" && r.runAt === runAt);
  const answer = await local.api.request("POST", "/settlement-runs", {
    key: local.stack.keys.operator,
    body: { month: MONTH },
    headers: { "idempotency-key": `run-${runAt}` },
  });
  if (rejected) {
    expect([answer.status, answer.body.code]).toEqual([409, rejected.code]);
    return;
  }
  expect(answer.status).toBe(202);
  // A run takes many steps; while it runs the month takes no other (R-SETTLE-7).
  const second = await local.api.request("POST", "/settlement-runs", {
    key: local.stack.keys.operator,
    body: { month: MONTH },
  });
  expect([second.status, second.body.code]).toEqual([409, "SETTLEMENT_RUN_IN_PROGRESS"]);
  const reused = await local.api.request("POST", "/settlement-runs", {
    key: local.stack.keys.operator,
    body: { month: "2027-05" },
    headers: { "idempotency-key": `run-${runAt}` },
  });
  expect([reused.status, reused.body.code]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
  const run = await waitFor(
    () =>
      local.api.expect(200, "GET", `/settlement-runs/${answer.body.settlementRunId}`, {
        key: local.stack.keys.operator,
      }),
    (r) => r.status !== "running",
    90_000,
    500,
  );
  expect(run.status).toBe("completed");
  const simRun = (sim.settlementRuns as Item[]).find(
    (r) => r.startedAt === new Date(Date.parse(runAt)).toISOString().replace(".000", ""),
  )!;
  expect(run.settlementRunId).toBe(simRun.settlementRunId);
  const fWorld = worlds[3]!;
  const fOnly = run.statements
    .filter((s: Item) => participantOf(fWorld, s.participantId))
    .map((s: Item) => ({
      participantId: participantOf(fWorld, s.participantId),
      version: s.version,
      changed: s.changed,
    }))
    .sort(byParticipant);
  expect(fOnly).toEqual(
    simRun.statements
      .map((s: Item) => ({
        participantId: s.participantId,
        version: s.version,
        changed: s.changed,
      }))
      .sort(byParticipant),
  );
}
