import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchMarket } from "../../../functions/core/matching/match";
import {
  compareBids,
  compareOffers,
  rankBids,
  rankOffers,
} from "../../../functions/core/matching/rank";
import type { Order } from "../../../functions/core/orders/order";
import { propertyParams } from "../../support/property";
import { referenceMatch } from "../../support/reference-matcher";

// Books up to large enough for the radix sort (512 orders a side and more), with many equal keys
// so that the orderId tie-break and stability are exercised, epoch-sized instants and, now and
// then, a non-integer price (the comparison-sort fallback). The engine uses rankBids/rankOffers,
// so together with "engine equals reference greedy" (small books) this covers large books too.
const rawOrder = fc.record({
  availability: fc.integer({ min: -3, max: 3 }),
  utilisation: fc.integer({ min: -3, max: 3 }),
  submittedAtMs: fc.oneof(
    fc.integer({ min: 0, max: 2 }),
    fc.constant(1_795_000_000_000),
    fc.constant(2 ** 52),
  ),
  id: fc.integer({ min: 0, max: 60 }),
  participant: fc.integer({ min: 0, max: 6 }),
  quantityKw: fc.integer({ min: 1, max: 40 }),
  buy: fc.boolean(),
});

type RawOrder = typeof rawOrder extends fc.Arbitrary<infer T> ? T : never;

const book = (raw: RawOrder[], fractional: boolean): Order[] =>
  raw.map((r, i) => ({
    orderId: `o${r.id}`,
    marketId: "m",
    participantId: `p${r.participant}`,
    entryId: `E${i}`,
    side: r.buy ? "buy" : "sell",
    quantityKw: r.quantityKw,
    availabilityPence: r.availability * 1000 + (fractional && i % 5 === 0 ? 0.5 : 0),
    utilisationPence: r.utilisation * 700,
    submittedAtMs: r.submittedAtMs,
  }));

describe("R-MATCH-1 ranking without a comparison per pair", () => {
  it("rankBids and rankOffers give exactly Array.prototype.sort by compareBids / compareOffers", () => {
    fc.assert(
      fc.property(
        fc.array(rawOrder, { maxLength: 1200, size: "max" }),
        fc.boolean(),
        (raw, fractional) => {
          const orders = book(raw, fractional);
          const bids = rankBids(orders);
          const offers = rankOffers(orders);
          const sortedBids = orders.slice().sort(compareBids);
          const sortedOffers = orders.slice().sort(compareOffers);
          // Same objects in the same positions (stability included: equal orderIds keep input order).
          expect(bids.length).toBe(sortedBids.length);
          expect(bids.every((o, i) => o === sortedBids[i])).toBe(true);
          expect(offers.every((o, i) => o === sortedOffers[i])).toBe(true);
        },
      ),
      propertyParams("radix rank equals comparator sort"),
    );
  });

  it("the engine on books of up to 300 orders equals the word-for-word R-MATCH-3 walk", () => {
    fc.assert(
      fc.property(fc.array(rawOrder, { maxLength: 300, size: "max" }), (raw) => {
        const orders = book(raw, false).map((o, i) => ({ ...o, orderId: `o${i}` }));
        expect(matchMarket("m", orders)).toEqual(referenceMatch("m", orders));
      }),
      propertyParams("engine equals reference greedy on large books"),
    );
  });
});
