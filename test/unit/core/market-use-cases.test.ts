import { beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "../../../functions/core/errors";
import { gateClosureMsOf, LookAheadSchema } from "../../../functions/core/model/look-ahead";
import { gbpToPence } from "../../../functions/core/model/units";
import type { OrderRequest } from "../../../functions/core/orders/order";
import {
  type CyclePorts,
  closeStep,
  deriveStep,
  ingestStep,
  markFailedStep,
  matchStep,
  openStep,
  publishOriginalStep,
  publishStep,
  reorderStep,
} from "../../../functions/core/use-cases/cycle-steps";
import {
  listOpportunities,
  listTrades,
  meritOrderOf,
} from "../../../functions/core/use-cases/market-queries";
import { publishedDayOf } from "../../../functions/core/use-cases/post-trade-day";
import {
  cycleIdOf,
  type SubmitLookAheadPorts,
  submitLookAhead,
} from "../../../functions/core/use-cases/submit-look-ahead";
import {
  amendOrder,
  submitOrder,
  type TradingPorts,
  withdrawOrder,
} from "../../../functions/core/use-cases/trading";
import { type FakePorts, fakePorts } from "../../support/fakes";
import { expectedWithTradeIds, workedExample } from "../../support/worked-example";

/**
 * The day-ahead use cases — look-ahead submission (R-IN-2/3), orders (R-ORDER, R-GATE-1) and the
 * workflow's steps — against in-memory fakes of their ports, on the worked example. The same
 * paths over HTTP, DynamoDB Local and the local Step Functions endpoint are the integration tests.
 */
const scenario = workedExample();
/** 12:00 London the day before (R-GATE-1's default): the worked example names none. */
const GATE = gateClosureMsOf(scenario.lookAhead);
const ports: () => FakePorts = () => current;
let current: FakePorts;

// The fakes cover every port each use case needs (the typecheck fails otherwise).
fakePorts() satisfies CyclePorts & TradingPorts & SubmitLookAheadPorts;

/** The worked example's participants and assets in the registry, as the access routes leave them. */
function seedRegistry(p: FakePorts): void {
  for (const { participantId, status } of scenario.participants) {
    p.participants.stored.set(participantId, {
      claimSecretHash: "unused",
      participant: {
        participantId,
        status,
        organisation: {
          legalName: participantId,
          companyNumber: "01234567",
          registeredAddress: "x",
        },
        contact: { name: participantId, email: `${participantId}@example.com` },
        apiKeyIssued: true,
        createdAt: "2027-06-01T00:00:00.000Z",
        updatedAt: "2027-06-01T00:00:00.000Z",
      },
    });
  }
  for (const a of scenario.assets) {
    p.assets.assets.set(a.assetId, {
      ...a,
      name: a.assetId,
      assetType: "discrete",
      technology: "wind",
      exportCapacityMw: 10,
      connectionVoltageKv: 33,
      postcode: "M1 1AA",
      anmSchemeId: scenario.lookAhead.anmSchemeId,
      createdAt: "2027-06-01T00:00:00.000Z",
      updatedAt: "2027-06-01T00:00:00.000Z",
    });
    for (const entryId of a.molEntryIds)
      p.claims.claims.set(`${scenario.lookAhead.anmSchemeId}|${entryId}`, {
        entryId,
        assetId: a.assetId,
      });
  }
}

const body = (overrides: Record<string, unknown> = {}) =>
  LookAheadSchema.parse({ ...structuredClone(scenario.lookAhead), ...overrides });

/** Submits the worked example's look-ahead and runs the steps up to markets open. */
async function openCycle(): Promise<string> {
  const { cycle } = await submitLookAhead(ports(), body(), ports().clock.nowMs());
  await ingestStep(ports(), cycle.cycleId);
  await deriveStep(ports(), cycle.cycleId);
  await openStep(ports(), cycle.cycleId);
  return cycle.cycleId;
}

/** A scenario order as the API receives it (the market found by constraint and window). */
async function request(orderId: string): Promise<{ participantId: string; request: OrderRequest }> {
  const o = scenario.orders.find((x: { orderId: string }) => x.orderId === orderId)!;
  const market = [...ports().markets.markets.values()].find(
    (m) => m.constraintId === o.constraintId && m.windowStartMs === Date.parse(o.windowStart),
  )!;
  return {
    participantId: o.participantId,
    request: {
      marketId: market.marketId,
      entryId: o.entryId,
      side: o.side,
      quantityMw: o.quantityMw,
      availabilityPrice: o.availabilityPrice,
      utilisationPrice: o.utilisationPrice,
      ...(o.serviceType ? { serviceType: o.serviceType } : {}),
    },
  };
}

async function place(orderId: string, receivedAtMs = Date.parse("2027-06-13T09:00:00Z")) {
  const { participantId, request: r } = await request(orderId);
  return submitOrder(ports(), participantId, r, { orderId, receivedAtMs });
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
  );

beforeEach(() => {
  current = fakePorts();
  current.clock.set("2027-06-13T07:00:00Z");
  seedRegistry(current);
});

describe("submitting a look-ahead (R-IN-2, R-IN-3)", () => {
  it("creates one cycle, makes it the scheme's day and starts one execution named after it", async () => {
    const { cycle, replayed } = await submitLookAhead(ports(), body(), ports().clock.nowMs());
    expect(replayed).toBe(false);
    expect(cycle).toMatchObject({ status: "running", gateClosureMs: GATE });
    expect(cycle.cycleId).toBe(
      cycleIdOf(scenario.lookAhead.anmSchemeId, scenario.lookAhead.lookAheadId),
    );
    expect([...ports().workflow.started.keys()]).toEqual([`${cycle.cycleId}-1`]);
    expect(await ports().cycles.currentCycle(cycle.anmSchemeId, cycle.deliveryDate)).toEqual({
      cycleId: cycle.cycleId,
      gateClosureMs: GATE,
      receivedAtMs: ports().clock.nowMs(),
    });
  });

  it("replays the same body as the same cycle; another body under the id is 409", async () => {
    const first = await submitLookAhead(ports(), body(), ports().clock.nowMs());
    const again = await submitLookAhead(ports(), body(), ports().clock.nowMs());
    expect(again).toMatchObject({ replayed: true, cycle: { cycleId: first.cycle.cycleId } });
    expect(ports().workflow.started.size).toBe(1);
    expect(
      await codeOf(
        submitLookAhead(ports(), body({ issuedAt: "2027-06-13T07:30:00Z" }), ports().clock.nowMs()),
      ),
    ).toBe("LOOK_AHEAD_CONFLICT");
  });

  it("supersedes the day's cycle before gate closure and stops its execution; after it, 409", async () => {
    const first = await submitLookAhead(ports(), body(), ports().clock.nowMs());
    const second = await submitLookAhead(ports(), body({ lookAheadId: "LA-2" }), GATE - 1);
    expect(second.cycle.supersedes).toBe(first.cycle.cycleId);
    expect((await ports().cycles.getCycle(first.cycle.cycleId))?.status).toBe("superseded");
    expect(ports().workflow.stopped).toEqual([first.cycle.executionArn]);
    const late = body({ lookAheadId: "LA-3", gateClosureAt: "2027-06-13T20:00:00Z" });
    expect(await codeOf(submitLookAhead(ports(), late, GATE))).toBe("GATE_CLOSED");
  });

  it("D-190: a refused look-ahead marks no day in use; an accepted one records the version", async () => {
    expect(await codeOf(submitLookAhead(ports(), body(), GATE))).toBe("LOOK_AHEAD_INVALID");
    expect(ports().schemes.usedThrough.size).toBe(0);
    ports().schemes.records.set(scenario.lookAhead.anmSchemeId, {
      name: "Scheme",
      versions: [
        {
          version: 1,
          effectiveFrom: scenario.lookAhead.deliveryDate,
          config: { deratingFactor: 0.8 },
          createdAt: "2027-06-01T00:00:00.000Z",
        },
      ],
    });
    const { cycle } = await submitLookAhead(ports(), body(), ports().clock.nowMs());
    expect(cycle.schemeVersion).toBe(1);
    expect(ports().schemes.usedThrough.get(scenario.lookAhead.anmSchemeId)).toBe(
      scenario.lookAhead.deliveryDate,
    );
  });
});

describe("orders against an open market (R-ORDER-1..3, R-GATE-1)", () => {
  beforeEach(async () => {
    await openCycle();
  });

  it("opens the worked example's market with its opportunities, and tells each participant", async () => {
    const { items } = await listOpportunities(ports(), "g4", scenario.lookAhead.deliveryDate, {});
    expect(items.map((i) => [i.opportunity.entryId, i.opportunity.side, i.market.status])).toEqual([
      ["G4-A", "buy", "open"],
    ]);
    const opened = ports()
      .outbox.all()
      .filter((e) => e.type === "market.opened");
    expect(opened.map((e) => e.recipient)).toEqual(["g1", "g3", "g4", "g5"]);
    // R-NOTIFY-4: each sees its own opportunities in the market, nobody else's.
    expect(opened.find((e) => e.recipient === "g4")?.data.opportunities).toEqual([
      expect.objectContaining({ entryId: "G4-A", side: "buy", maxQuantityMw: 4.5 }),
    ]);
  });

  it("places an order and holds its quantity; more than the max quantity is 422", async () => {
    const order = await place("b1");
    expect(order).toMatchObject({ status: "open", quantityKw: 4500, cycleId: order.cycleId });
    const { participantId, request: r } = await request("b1");
    expect(
      await codeOf(
        submitOrder(
          ports(),
          participantId,
          { ...r, quantityMw: 0.5 },
          { orderId: "b1-more", receivedAtMs: GATE - 1 },
        ),
      ),
    ).toBe("QUANTITY_EXCEEDS_CAPACITY");
  });

  it("refuses at and after gate closure, whatever the wall clock says (R-GATE-1)", async () => {
    expect(await codeOf(place("b1", GATE))).toBe("GATE_CLOSED");
    expect(ports().orders.orders.size).toBe(0);
  });

  it("answers an entry the caller does not claim with 404, its own entry on the wrong side with 422", async () => {
    const { request: r } = await request("b1");
    expect(
      await codeOf(submitOrder(ports(), "g5", r, { orderId: "x", receivedAtMs: GATE - 1 })),
    ).toBe("NOT_FOUND");
    expect(
      await codeOf(
        submitOrder(
          ports(),
          "g4",
          { ...r, side: "sell", serviceType: "generation-turn-down" },
          { orderId: "y", receivedAtMs: GATE - 1 },
        ),
      ),
    ).toBe("NOT_ELIGIBLE");
  });

  it("applies the price cap the scheme's configuration port gives (R-ORDER-1)", async () => {
    ports().schemes.settings.set(scenario.lookAhead.anmSchemeId, {
      market: { priceCapPence: gbpToPence(15) },
    });
    expect(await codeOf(place("b1"))).toBe("PRICE_EXCEEDS_CAP");
    expect(await codeOf(place("o1"))).toBe("PRICE_EXCEEDS_CAP");
  });

  it("keeps time priority on a lower quantity, loses it on a price change; withdraws once", async () => {
    const placed = await place("b1", Date.parse("2027-06-13T09:00:00Z"));
    const lower = await amendOrder(
      ports(),
      "g4",
      "b1",
      { quantityMw: 4 },
      Date.parse("2027-06-13T09:30:00Z"),
    );
    expect(lower.submittedAtMs).toBe(placed.submittedAtMs);
    const repriced = await amendOrder(
      ports(),
      "g4",
      "b1",
      { availabilityPrice: 21 },
      Date.parse("2027-06-13T10:00:00Z"),
    );
    expect(repriced.submittedAtMs).toBe(Date.parse("2027-06-13T10:00:00Z"));
    const withdrawn = await withdrawOrder(ports(), "g4", "b1", GATE - 1);
    expect(withdrawn.status).toBe("withdrawn");
    expect((await withdrawOrder(ports(), "g4", "b1", GATE - 1)).status).toBe("withdrawn");
    expect(await ports().orders.openQuantities(withdrawn.cycleId)).toEqual(new Map());
    expect(await codeOf(amendOrder(ports(), "g5", "b1", { quantityMw: 1 }, GATE - 1))).toBe(
      "NOT_FOUND",
    );
  });
});

describe("the cycle's steps, end to end on the worked example", () => {
  it("derive, open, close, match, re-order and publish give the worked example's trades and MOL", async () => {
    const cycleId = await openCycle();
    for (const o of scenario.orders) await place(o.orderId, Date.parse(o.submittedAt));
    await closeStep(ports(), cycleId);
    expect(await codeOf(place("b2", GATE - 1))).toBe("MARKET_NOT_OPEN");
    expect(await matchStep(ports(), cycleId)).toEqual({ trades: 2 });
    await reorderStep(ports(), cycleId);
    await publishStep(ports(), cycleId);

    const trades = await ports().trades.listTradesOfCycle(cycleId);
    const expected = expectedWithTradeIds(scenario.expected, trades);
    expect(
      trades.map((t) => ({
        buyOrderId: t.buyOrderId,
        sellOrderId: t.sellOrderId,
        buyEntryId: t.buyEntryId,
        sellEntryId: t.sellEntryId,
        quantityMw: t.quantityKw / 1000,
        availabilityPrice: t.availabilityPence / 100,
        utilisationPrice: t.utilisationPence / 100,
      })),
    ).toEqual(expected.trades);
    expect((await ports().cycles.getCycle(cycleId))?.status).toBe("published");
    const mol = await meritOrderOf(
      ports(),
      scenario.lookAhead.anmSchemeId,
      scenario.lookAhead.deliveryDate,
      "C1",
    );
    expect(mol.published).toMatchObject({ version: 1, fallback: false });
    expect(mol.published!.segments[0]!.entries.map((l) => l.entryId)).toEqual(
      expected.meritOrderSegments[0].entries.map((l: { entryId: string }) => l.entryId),
    );

    // Every step is idempotent: running them again changes nothing.
    await matchStep(ports(), cycleId);
    await publishStep(ports(), cycleId);
    expect(await ports().trades.listTradesOfCycle(cycleId)).toHaveLength(2);
    expect(
      (
        await meritOrderOf(
          ports(),
          scenario.lookAhead.anmSchemeId,
          scenario.lookAhead.deliveryDate,
          "C1",
        )
      ).published?.version,
    ).toBe(1);
  });

  it("derates sellers' max quantity by the scheme's k from the configuration port (R-ELIG-3)", async () => {
    ports().schemes.settings.set(scenario.lookAhead.anmSchemeId, {
      market: { deratingPermille: 800 },
    });
    await openCycle();
    const sellers = [...ports().markets.opportunities.values()].filter((o) => o.side === "sell");
    const undrated = fakePorts();
    seedRegistry(undrated);
    current = undrated;
    await openCycle();
    const full = [...undrated.markets.opportunities.values()].filter((o) => o.side === "sell");
    expect(sellers.map((o) => o.maxQuantityKw)).toEqual(
      full.map((o) => Math.floor((800 * o.maxQuantityKw) / 1000)),
    );
  });

  it("a superseded cycle's late step changes nothing; the fallback publishes the MOL as received", async () => {
    const cycleId = await openCycle();
    await submitLookAhead(ports(), body({ lookAheadId: "LA-2" }), GATE - 1);
    await expect(matchStep(ports(), cycleId)).rejects.toMatchObject({ code: "CYCLE_SUPERSEDED" });
    await publishOriginalStep(ports(), cycleId);
    expect(ports().meritOrders.versions.size).toBe(0);

    const failing = cycleIdOf(scenario.lookAhead.anmSchemeId, "LA-2");
    await markFailedStep(ports(), failing, {
      Error: "Boom",
      Cause: '{"errorMessage":"it broke\\n at x"}',
    });
    expect((await ports().cycles.getCycle(failing))?.failure).toEqual({
      step: "unknown",
      error: "Boom",
      cause: "it broke",
    });
    await publishOriginalStep(ports(), failing);
    const published = await ports().meritOrders.latest(
      scenario.lookAhead.anmSchemeId,
      scenario.lookAhead.deliveryDate,
      "C1",
    );
    expect(published).toMatchObject({ fallback: true, cycleId: failing, segments: [] });
  });
});

describe("§10, R-SETTLE-1, D-298: a failed cycle's trades take no effect", () => {
  /** Opens the worked example's cycle, places its orders, closes, matches and re-orders. */
  async function matchedCycle(): Promise<string> {
    const cycleId = await openCycle();
    for (const o of scenario.orders) await place(o.orderId, Date.parse(o.submittedAt));
    await closeStep(ports(), cycleId);
    expect(await matchStep(ports(), cycleId)).toEqual({ trades: 2 });
    await reorderStep(ports(), cycleId);
    return cycleId;
  }
  const key = {
    anmSchemeId: scenario.lookAhead.anmSchemeId,
    deliveryDate: scenario.lookAhead.deliveryDate,
  };
  const callers = [
    { role: "operator", principalId: "operator" },
    { role: "participant", principalId: "g4" },
    { role: "participant", principalId: "g5" },
  ] as const;
  /** The fakes have no topology-change store: the day has no change. */
  const dayPorts = () => ({ ...ports(), topologyChanges: { ofDay: async () => [] } });
  const listed = async () =>
    Promise.all(
      callers.map(
        async (c) => (await listTrades(ports(), c, key.deliveryDate, { limit: 100 })).items.length,
      ),
    );

  it("a published cycle's trades are listed and reach the post-trade day", async () => {
    const cycleId = await matchedCycle();
    await publishStep(ports(), cycleId);
    const stored = await ports().trades.listTradesOfCycle(cycleId);
    // The operator sees both; each participant the trades it is party to (g5 sells one).
    const counts = await listed();
    expect(counts).toEqual([2, 2, 1]);
    expect(counts).toEqual(
      callers.map(
        (c) =>
          stored.filter(
            (t) =>
              c.role === "operator" ||
              t.buyParticipantId === c.principalId ||
              t.sellParticipantId === c.principalId,
          ).length,
      ),
    );
    expect((await publishedDayOf(dayPorts(), key))?.day.trades).toHaveLength(2);
  });

  it("a cycle that failed after Match lists no trade and settles none, though Match stored them", async () => {
    const cycleId = await matchedCycle();
    // What the workflow's Catch does when Publish fails past its retries.
    await markFailedStep(ports(), cycleId, { Error: "Boom", Cause: "" }, "Publish");
    await publishOriginalStep(ports(), cycleId);
    expect((await ports().cycles.getCycle(cycleId))?.status).toBe("failed");
    expect(await ports().trades.listTradesOfCycle(cycleId)).toHaveLength(2);
    expect(await listed()).toEqual([0, 0, 0]);
    const published = await publishedDayOf(dayPorts(), key);
    expect(published?.day.versions.map((v) => v.reason)).toEqual(["fallback"]);
    expect(published?.day.trades).toEqual([]);
  });
});

describe("integrity of the day (D-130 … D-139)", () => {
  it("D-130: of racing look-aheads the latest received stands; an older one is born superseded", async () => {
    const late = await submitLookAhead(ports(), body({ lookAheadId: "LA-late" }), GATE - 10);
    const early = await submitLookAhead(ports(), body({ lookAheadId: "LA-early" }), GATE - 20);
    expect(early.cycle).toMatchObject({ status: "superseded", supersededBy: late.cycle.cycleId });
    expect(early.cycle.executionArn).toBeUndefined();
    expect((await ports().cycles.getCycle(late.cycle.cycleId))?.status).toBe("running");
    const actions = ports().audit.records.map((r) => [r.subject, r.action, r.to]);
    expect(actions).toContainEqual([early.cycle.cycleId, "cycle.superseded", "superseded"]);
  });

  it("D-132: after a restore lost the cycle, a re-posted look-ahead starts attempt 2, never adopting the ended attempt 1", async () => {
    const first = await submitLookAhead(ports(), body(), ports().clock.nowMs());
    expect(first.cycle.attempt).toBe(1);
    // The restore: the table lost the cycle; the workflow service still has execution 1 (ended).
    ports().cycles.cycles.delete(first.cycle.cycleId);
    ports().workflow.ended.add(`${first.cycle.cycleId}-1`);
    const again = await submitLookAhead(ports(), body(), ports().clock.nowMs());
    expect(again.cycle).toMatchObject({ status: "running", attempt: 2 });
    expect(again.cycle.executionArn).toMatch(/-2$/);
  });

  it("D-137: an order whose participant was suspended before gate closure takes no part in matching", async () => {
    const cycleId = await openCycle();
    for (const o of scenario.orders) await place(o.orderId, Date.parse(o.submittedAt));
    ports().participants.stored.get("g5")!.participant.status = "suspended";
    await closeStep(ports(), cycleId);
    await matchStep(ports(), cycleId);
    const trades = await ports().trades.listTradesOfCycle(cycleId);
    expect(trades.some((t) => t.sellParticipantId === "g5")).toBe(false);
    const g5 = [...ports().orders.orders.values()].filter((o) => o.participantId === "g5");
    expect(g5.map((o) => o.status)).toEqual(g5.map(() => "cancelled"));
    expect(ports().audit.records.filter((r) => r.action === "order.cancelled")).toHaveLength(
      g5.length,
    );
  });

  it("D-139: order placement, amendment and withdrawal are audited with from/to", async () => {
    await openCycle();
    await place("b1");
    await amendOrder(ports(), "g4", "b1", { availabilityPrice: 21 }, GATE - 1000);
    await withdrawOrder(ports(), "g4", "b1", GATE - 500);
    const trail = ports().audit.records.filter((r) => r.subject === "b1");
    expect(trail.map((r) => [r.action, r.actor.principalId])).toEqual([
      ["order.placed", "g4"],
      ["order.amended", "g4"],
      ["order.withdrawn", "g4"],
    ]);
    expect(trail[1]).toMatchObject({
      from: "open 4.5 MW at £20/MW/h + £40/MWh",
      to: "open 4.5 MW at £21/MW/h + £40/MWh",
    });
  });
});
