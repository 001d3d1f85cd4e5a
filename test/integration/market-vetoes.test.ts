import { describe, expect, it } from "vitest";
import { onboard, orderBodyOf, type Trader, waitFor } from "../../lib/client/api-client";
import { postTradeExample } from "../support/post-trade-example";
import { useLocalStack } from "../support/use-local-stack";

/**
 * R-VERIFY-8 through the API: a veto before the scheme's deadline (14:00 on D-1 by default; the
 * local stack's clock is months before the worked example's day) voids the market's trades,
 * publishes C1 without them and marks the market vetoed; a repeat returns the first result; a
 * market without trades and an unknown market are refused, changing nothing. The veto after the
 * deadline is in topology-changes.test.ts (on the trial clock).
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const local = useLocalStack();
const example = postTradeExample();
const DATE = example.lookAhead.deliveryDate as string;
type Json = Record<string, any>;

describe("a DNO veto before the deadline", () => {
  const markets = new Map<string, string>();

  it("publishes a day with trades (VETO-A) and one without (VETO-B)", async () => {
    const operator = local.stack.keys.operator;
    const traders = new Map<string, Trader>();
    for (const asset of example.assets)
      traders.set(
        asset.participantId,
        await onboard(local.api, operator, {
          name: `VETO-A-${asset.participantId}`,
          anmSchemeId: "VETO-A",
          entryIds: asset.molEntryIds,
        }),
      );
    const gateClosureAt = new Date(Date.now() + 12_000).toISOString();
    const cycles: string[] = [];
    for (const scheme of ["VETO-A", "VETO-B"])
      cycles.push(
        (
          await local.api.expect(202, "POST", "/anm/look-aheads", {
            key: local.stack.keys.anm,
            body: {
              ...example.lookAhead,
              lookAheadId: `LA-${scheme}`,
              anmSchemeId: scheme,
              gateClosureAt,
            },
          })
        ).cycleId,
      );
    // Both days' markets open before they are listed (on a loaded machine the second opens later).
    for (const cycleId of cycles)
      await waitFor(
        () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: operator }),
        (c) => c.status === "markets-open" || c.status === "failed",
      );
    const { items } = await local.api.expect(200, "GET", `/markets?deliveryDate=${DATE}`, {
      key: operator,
    });
    for (const m of items) markets.set(m.anmSchemeId, m.marketId);
    expect([...markets.keys()].sort()).toEqual(["VETO-A", "VETO-B"]);
    for (const o of example.orders)
      await local.api.expect(201, "POST", "/orders", {
        key: traders.get(o.participantId)!.apiKey,
        body: orderBodyOf(o, markets.get("VETO-A")!),
      });
    for (const cycleId of cycles) {
      const cycle = await waitFor(
        () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: operator }),
        (c) => c.status === "published" || c.status === "failed",
        90_000,
        500,
      );
      expect(cycle.status).toBe("published");
    }
  }, 180_000);

  it("voids the trades, publishes a version without them, marks the market; a repeat is the first result", async () => {
    const anm = local.stack.keys.anm;
    const operator = local.stack.keys.operator;
    const marketId = markets.get("VETO-A")!;
    const vetoed = await local.api.expect(201, "POST", "/anm/market-vetoes", {
      key: anm,
      body: { marketId, reason: "planned outage" },
    });
    const { items: trades } = await local.api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: operator,
    });
    const own = trades.filter((t: Json) => t.marketId === marketId);
    expect(own).toHaveLength(2);
    expect(vetoed).toMatchObject({
      marketId,
      reason: "planned outage",
      vetoedTradeIds: own.map((t: Json) => t.tradeId).sort(),
      publishedVersions: [{ constraintId: "C1", version: 2 }],
    });
    for (const t of own)
      expect(t).toMatchObject({
        status: "vetoed",
        cancellationReason: "dno-veto",
        cancelledFromSp: 25,
        cancelledFrom: "2027-06-14T11:00:00Z",
      });
    const v2 = await local.api.expect(
      200,
      "GET",
      `/anm/merit-order?anmSchemeId=VETO-A&deliveryDate=${DATE}&constraintId=C1`,
      { key: anm },
    );
    expect(v2).toMatchObject({ version: 2, reason: "dno-veto", supersedesVersion: 1 });
    expect(v2.cancelledTradeIds).toEqual(vetoed.vetoedTradeIds);
    expect(JSON.stringify(v2.segments)).not.toContain(own[0].tradeId);
    const market = await local.api.expect(200, "GET", `/markets/${marketId}`, { key: operator });
    expect(market).toMatchObject({ vetoed: true, vetoedAt: vetoed.vetoedAt });
    const repeat = await local.api.expect(200, "POST", "/anm/market-vetoes", {
      key: anm,
      body: { marketId, reason: "again" },
    });
    expect(repeat).toEqual(vetoed);
    await local.api.expect(
      404,
      "GET",
      `/anm/merit-order?anmSchemeId=VETO-A&deliveryDate=${DATE}&constraintId=C1&version=3`,
      { key: anm },
    );
  }, 60_000);

  it("refuses a market without trades (409) and an unknown one (404), changing nothing", async () => {
    const anm = local.stack.keys.anm;
    const refused = await local.api.expect(409, "POST", "/anm/market-vetoes", {
      key: anm,
      body: { marketId: markets.get("VETO-B")!, reason: "x" },
    });
    expect(refused.code).toBe("MARKET_NOT_VETOABLE");
    const missing = await local.api.expect(404, "POST", "/anm/market-vetoes", {
      key: anm,
      body: { marketId: "mkt-00000000000000000000", reason: "x" },
    });
    expect(missing.code).toBe("NOT_FOUND");
    const b = await local.api.expect(
      200,
      "GET",
      `/anm/merit-order?anmSchemeId=VETO-B&deliveryDate=${DATE}&constraintId=C1`,
      { key: anm },
    );
    expect(b.version).toBe(1);
    const market = await local.api.expect(200, "GET", `/markets/${markets.get("VETO-B")}`, {
      key: local.stack.keys.operator,
    });
    expect(market.vetoed).toBeUndefined();
  }, 60_000);
});

describe("the verification routes refuse malformed requests, changing nothing", () => {
  it("answers 400, 413 and 415 with their codes on both write routes and the list", async () => {
    const anm = local.stack.keys.anm;
    for (const path of ["/anm/topology-changes", "/anm/market-vetoes"]) {
      const malformed = await local.api.request("POST", path, { key: anm, body: "{" });
      expect(malformed).toMatchObject({ status: 400, body: { code: "MALFORMED_JSON" } });
      const invalid = await local.api.request("POST", path, { key: anm, body: { marketId: 1 } });
      expect(invalid).toMatchObject({ status: 400, body: { code: "VALIDATION_FAILED" } });
      const media = await local.api.request("POST", path, {
        key: anm,
        body: "marketId=1",
        headers: { "content-type": "text/plain" },
      });
      expect(media).toMatchObject({ status: 415, body: { code: "UNSUPPORTED_MEDIA_TYPE" } });
      const big = await local.api.request("POST", path, {
        key: anm,
        body: JSON.stringify({ marketId: "x".repeat(1_100_000) }),
      });
      expect(big).toMatchObject({ status: 413, body: { code: "PAYLOAD_TOO_LARGE" } });
    }
    const query = await local.api.request(
      "GET",
      "/anm/topology-changes?anmSchemeId=VETO-A&deliveryDate=June",
      { key: anm },
    );
    expect(query).toMatchObject({ status: 400, body: { code: "VALIDATION_FAILED" } });
    const listed = await local.api.expect(
      200,
      "GET",
      `/anm/topology-changes?anmSchemeId=VETO-A&deliveryDate=${DATE}`,
      { key: anm },
    );
    // The veto is held in the day's order but is not a topology change.
    expect(listed.items).toEqual([]);
  });
});
