import { describe, expect, it } from "vitest";
import { parseScenario, simulate } from "../../functions/core/use-cases/simulate";
import { onboard, orderBodyOf, type Trader, waitFor } from "../../lib/client/api-client";
import { useLocalStack } from "../support/use-local-stack";
import { expectedWithTradeIds, workedExample } from "../support/worked-example";

/**
 * The mission end to end on the local stack (real HTTP, DynamoDB Local, the local Step Functions
 * endpoint running the ASL): the ANM posts the worked example's look-ahead with a gate closure a
 * few seconds ahead, participants see their opportunities and trade, the workflow matches,
 * re-orders and publishes, and the ANM fetches the re-ordered MOL.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const local = useLocalStack();

const scenario = workedExample();
const SCHEME = scenario.lookAhead.anmSchemeId as string;
const DATE = scenario.lookAhead.deliveryDate as string;

describe("the worked example through the API", () => {
  const traders = new Map<string, Trader>();
  const orderIds: Record<string, string> = {};
  let cycleId: string;

  it("onboards the five generators and takes the ANM's look-ahead", async () => {
    for (const asset of scenario.assets)
      traders.set(
        asset.participantId,
        await onboard(local.api, local.stack.keys.operator, {
          name: asset.participantId.toUpperCase(),
          anmSchemeId: SCHEME,
          entryIds: asset.molEntryIds,
        }),
      );
    const gateClosureAt = new Date(Date.now() + 6_000).toISOString();
    const accepted = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body: { ...scenario.lookAhead, gateClosureAt },
    });
    cycleId = accepted.cycleId;
    expect(accepted.status).toBe("running");
    const cycle = await waitFor(
      () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: local.stack.keys.operator }),
      (c) => c.status === "markets-open",
    );
    expect(cycle.executionArn).toContain(cycleId);
  });

  it("shows each participant exactly its own opportunities (R-ELIG-6)", async () => {
    const seen = [];
    for (const [participantId, trader] of traders) {
      const { items } = await local.api.expect(200, "GET", `/opportunities?deliveryDate=${DATE}`, {
        key: trader.apiKey,
      });
      for (const o of items) {
        expect(o.assetId).toBe(trader.assetId);
        seen.push({
          participantId,
          constraintId: o.constraintId,
          entryId: o.entryId,
          side: o.side,
          maxQuantityMw: o.maxQuantityMw,
          curtailmentOrder: o.curtailmentOrder,
          marketDepth: o.marketDepth,
        });
      }
    }
    const expected = scenario.expected.opportunities.map((o: Record<string, unknown>) => o.entryId);
    expect(seen.map((o) => o.entryId).sort()).toEqual([...expected].sort());
    for (const e of scenario.expected.opportunities) {
      const got = seen.find((o) => o.entryId === e.entryId)!;
      expect(got).toMatchObject({
        side: e.side,
        maxQuantityMw: e.maxQuantityMw,
        curtailmentOrder: e.curtailmentOrder,
        marketDepth: scenario.expected.markets[0].marketDepth,
      });
    }
  });

  it("takes the orders in their arrival order", async () => {
    const { items: markets } = await local.api.expect(200, "GET", `/markets?deliveryDate=${DATE}`, {
      key: local.stack.keys.operator,
    });
    const market = markets.find((m: { anmSchemeId: string }) => m.anmSchemeId === SCHEME);
    expect(market).toMatchObject({
      status: "open",
      constraintSizeMw: 7,
      windowStart: "2027-06-14T11:00:00Z",
      windowEnd: "2027-06-14T13:00:00Z",
    });
    for (const o of scenario.orders) {
      const order = await local.api.expect(201, "POST", "/orders", {
        key: traders.get(o.participantId)!.apiKey,
        body: orderBodyOf(o, market.marketId),
      });
      expect(order.status).toBe("open");
      orderIds[o.orderId] = order.orderId;
    }
  });

  it("matches, re-orders and publishes after gate closure, exactly as expected", async () => {
    await waitFor(
      () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: local.stack.keys.operator }),
      (c) => c.status === "published" || c.status === "failed",
      30_000,
    );
    const cycle = await local.api.expect(200, "GET", `/cycles/${cycleId}`, {
      key: local.stack.keys.operator,
    });
    expect(cycle.status).toBe("published");

    const { items: trades } = await local.api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: local.stack.keys.operator,
    });
    const expected = expectedWithTradeIds(scenario.expected, trades, orderIds);
    const byOrder = Object.fromEntries(Object.entries(orderIds).map(([k, v]) => [v, k]));
    expect(
      trades.map((t: Record<string, unknown>) => ({
        buyOrderId: byOrder[t.buyOrderId as string],
        sellOrderId: byOrder[t.sellOrderId as string],
        buyEntryId: t.buyEntryId,
        sellEntryId: t.sellEntryId,
        quantityMw: t.quantityMw,
        availabilityPrice: t.availabilityPrice,
        utilisationPrice: t.utilisationPrice,
      })),
    ).toEqual(scenario.expected.trades);

    const mol = await local.api.expect(
      200,
      "GET",
      `/anm/merit-order?anmSchemeId=${SCHEME}&deliveryDate=${DATE}&constraintId=C1`,
      { key: local.stack.keys.anm },
    );
    expect(mol).toMatchObject({
      status: "published",
      version: 1,
      baseVersion: 17,
      fallback: false,
    });
    expect(mol.base.entries).toEqual(scenario.lookAhead.mols[0].entries);
    expect(
      mol.segments.map((s: Record<string, any>) => ({
        constraintId: "C1",
        validFrom: s.validFrom,
        validTo: s.validTo,
        entries: s.entries.map((e: Record<string, unknown>) => ({
          curtailmentOrder: e.curtailmentOrder,
          entryId: e.entryId,
          parentEntryId: e.parentEntryId,
          capacityMw: e.capacityMw,
          curtailmentMw: e.curtailmentMw,
        })),
      })),
    ).toEqual(expected.meritOrderSegments);

    // One core, two doors: the offline simulation of the same scenario gives the same trades and MOL.
    const parsed = parseScenario(scenario);
    if (!parsed.ok) throw new Error("worked example does not parse");
    const offline = simulate(parsed.value);
    const strip = (t: Record<string, unknown>) => ({
      ...t,
      tradeId: undefined,
      buyOrderId: undefined,
      sellOrderId: undefined,
      marketId: undefined,
      status: undefined,
    });
    expect(trades.map(strip)).toEqual(offline.trades.map(strip));
    const slices = (entries: Record<string, unknown>[], tradeIds: string[]) =>
      entries.map((e) => ({
        ...e,
        entryId: String(e.entryId).replace(/trd-\w+/, (id) => `T${tradeIds.indexOf(id)}`),
        tradeId: e.tradeId === undefined ? undefined : tradeIds.indexOf(String(e.tradeId)),
      }));
    expect(
      slices(
        mol.segments[0].entries,
        trades.map((t: { tradeId: string }) => t.tradeId),
      ),
    ).toEqual(
      slices(
        offline.meritOrders[0]!.segments[0]!.entries,
        offline.trades.map((t) => t.tradeId),
      ),
    );
  });

  it("shows each party its trades without the counterparty's participant id", async () => {
    const g4 = await local.api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: traders.get("g4")!.apiKey,
    });
    expect(g4.items).toHaveLength(2);
    const g5 = await local.api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: traders.get("g5")!.apiKey,
    });
    expect(g5.items.map((t: { sellEntryId: string }) => t.sellEntryId)).toEqual(["G5-A"]);
    const g3 = await local.api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: traders.get("g3")!.apiKey,
    });
    expect(g3.items).toEqual([]);
    expect(JSON.stringify(g4.items)).not.toContain(traders.get("g5")!.participantId);
  });

  it("refuses an order after gate closure with 409 GATE_CLOSED (real clock)", async () => {
    const { items: markets } = await local.api.expect(200, "GET", `/markets?deliveryDate=${DATE}`, {
      key: local.stack.keys.operator,
    });
    const late = await local.api.request("POST", "/orders", {
      key: traders.get("g3")!.apiKey,
      body: {
        marketId: markets[0].marketId,
        entryId: "G3-A",
        side: "buy",
        quantityMw: 0.5,
        availabilityPrice: 1,
        utilisationPrice: 1,
      },
    });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe("GATE_CLOSED");
  });

  it("shows the operator the execution with its states entered and exited", async () => {
    const execution = await local.api.expect(200, "GET", `/cycles/${cycleId}/execution`, {
      key: local.stack.keys.operator,
    });
    expect(execution.status).toBe("SUCCEEDED");
    const entered = execution.events
      .filter((e: { type: string }) => e.type.endsWith("StateEntered"))
      .map((e: { state: string }) => e.state);
    expect(entered).toEqual([
      "IngestLookAhead",
      "DeriveOpportunities",
      "OpenMarkets",
      "WaitForGateClosure",
      "CloseMarkets",
      "Match",
      "ReorderMeritOrder",
      "Publish",
    ]);
  });
});
