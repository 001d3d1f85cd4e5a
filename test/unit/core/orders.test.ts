import { describe, expect, it } from "vitest";
import {
  GateClosedError,
  NotEligibleError,
  PriceExceedsCapError,
  QuantityExceedsCapacityError,
} from "../../../functions/core/errors";
import type { Opportunity } from "../../../functions/core/opportunities/derive";
import {
  amendOrder,
  assertGateOpen,
  assertOrderAcceptable,
  type Order,
  OrderAmendmentSchema,
  OrderRequestSchema,
  toOrder,
} from "../../../functions/core/orders/order";

const opportunity = {
  marketId: "m1",
  entryId: "G5-A",
  side: "sell",
  participantId: "g5",
  maxQuantityKw: 3000,
} as Opportunity;
const order = (over: Partial<Order> = {}): Order => ({
  orderId: "o1",
  marketId: "m1",
  participantId: "g5",
  entryId: "G5-A",
  side: "sell",
  quantityKw: 2000,
  availabilityPence: 1000,
  utilisationPence: 2500,
  serviceType: "generation-turn-down",
  submittedAtMs: 100,
  ...over,
});
const CAP = { priceCapPence: 1_000_000 };

describe("R-ORDER-1 what an order must say", () => {
  it("accepts a well-formed offer and converts it to kW and pence", () => {
    const body = OrderRequestSchema.parse({
      marketId: "m1",
      entryId: "G5-A",
      side: "sell",
      quantityMw: 3.0,
      availabilityPrice: 10,
      utilisationPrice: 25.55,
      serviceType: "generation-turn-down",
    });
    expect(toOrder(body, { orderId: "o1", participantId: "g5", submittedAtMs: 5 })).toMatchObject({
      quantityKw: 3000,
      availabilityPence: 1000,
      utilisationPence: 2555,
    });
  });

  it.each([
    ["a negative price", { availabilityPrice: -1 }, "availabilityPrice"],
    ["a price with 3 decimals", { utilisationPrice: 1.005 }, "utilisationPrice"],
    ["a zero quantity", { quantityMw: 0 }, "quantityMw"],
    ["a quantity with 4 decimals", { quantityMw: 1.0001 }, "quantityMw"],
    ["an offer without serviceType", { serviceType: undefined }, "serviceType"],
    ["an unknown service type", { serviceType: "demand-turn-down" }, "serviceType"],
    ["an unknown field", { colour: "red" }, ""],
  ])("rejects %s naming the field", (_n, change, path) => {
    const r = OrderRequestSchema.safeParse({
      marketId: "m1",
      entryId: "G5-A",
      side: "sell",
      quantityMw: 1,
      availabilityPrice: 1,
      utilisationPrice: 1,
      serviceType: "generation-turn-down",
      ...change,
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join("."))).toContain(path);
  });

  it("rejects a bid that names a serviceType", () => {
    expect(
      OrderRequestSchema.safeParse({
        marketId: "m1",
        entryId: "G4-A",
        side: "buy",
        quantityMw: 1,
        availabilityPrice: 1,
        utilisationPrice: 1,
        serviceType: "demand-turn-up",
      }).success,
    ).toBe(false);
  });

  it("refuses a price above the scheme's cap", () => {
    expect(() =>
      assertOrderAcceptable(order({ utilisationPence: 1_000_001 }), opportunity, 0, CAP),
    ).toThrow(PriceExceedsCapError);
    expect(() =>
      assertOrderAcceptable(order({ utilisationPence: 1_000_000 }), opportunity, 0, CAP),
    ).not.toThrow();
  });

  it.each([
    ["no opportunity", undefined],
    ["another participant's entry", { ...opportunity, participantId: "g1" }],
    ["the other side", { ...opportunity, side: "buy" }],
    ["another market", { ...opportunity, marketId: "m2" }],
  ])("refuses an order for %s as NOT_ELIGIBLE", (_n, opp) => {
    expect(() => assertOrderAcceptable(order(), opp as Opportunity | undefined, 0, CAP)).toThrow(
      NotEligibleError,
    );
  });
});

describe("R-ORDER-2 open orders within max quantity", () => {
  it("accepts up to exactly the max quantity and refuses 1 kW more", () => {
    expect(() =>
      assertOrderAcceptable(order({ quantityKw: 1000 }), opportunity, 2000, CAP),
    ).not.toThrow();
    expect(() =>
      assertOrderAcceptable(order({ quantityKw: 1001 }), opportunity, 2000, CAP),
    ).toThrow(QuantityExceedsCapacityError);
  });
});

describe("R-ORDER-3 amendments and time priority", () => {
  it.each([
    ["lowering quantity keeps priority", { quantityMw: 1.5 }, 100],
    ["raising quantity loses priority", { quantityMw: 2.5 }, 999],
    ["changing availability price loses priority", { availabilityPrice: 11 }, 999],
    ["changing utilisation price loses priority", { utilisationPrice: 24 }, 999],
    ["restating the same values keeps priority", { quantityMw: 2, availabilityPrice: 10 }, 100],
  ])("%s", (_n, change, submittedAtMs) => {
    const amended = amendOrder(order(), OrderAmendmentSchema.parse(change), 999);
    expect(amended.submittedAtMs).toBe(submittedAtMs);
  });

  it("refuses an empty amendment", () => {
    expect(OrderAmendmentSchema.safeParse({}).success).toBe(false);
  });
});

describe("R-GATE-1 gate closure is exact", () => {
  it.each([
    [-1, true],
    [0, false],
    [1, false],
  ])("a request received at gate closure %+i ms is accepted: %s", (offset, accepted) => {
    const gate = Date.parse("2027-06-13T11:00:00Z");
    const attempt = () => assertGateOpen(gate + offset, gate);
    if (accepted) expect(attempt).not.toThrow();
    else expect(attempt).toThrow(GateClosedError);
  });
});
