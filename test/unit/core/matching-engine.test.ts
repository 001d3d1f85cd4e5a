import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchMarket } from "../../../functions/core/matching/match";
import { OfferIndex } from "../../../functions/core/matching/offer-index";
import type { Order } from "../../../functions/core/orders/order";
import { propertyParams } from "../../support/property";
import { referenceMatch } from "../../support/reference-matcher";

const orderArb = (side: "buy" | "sell") =>
  fc.record({
    participant: fc.integer({ min: 0, max: 5 }),
    quantityKw: fc.integer({ min: 1, max: 50 }),
    availability: fc.integer({ min: 0, max: 10 }),
    utilisation: fc.integer({ min: 0, max: 10 }),
    submittedAtMs: fc.integer({ min: 0, max: 3 }),
    key: fc.constantFrom("", "", "", "C2", "C2+C3"),
    side: fc.constant(side),
  });

const ordersArb = fc
  .tuple(
    fc.array(orderArb("buy"), { maxLength: 30 }),
    fc.array(orderArb("sell"), { maxLength: 30 }),
  )
  .map(([bids, offers]) =>
    [...bids, ...offers].map((o, i): Order & { key: string } => ({
      orderId: `o${i}`,
      marketId: "m",
      participantId: `p${o.participant}`,
      entryId: `E${o.participant}`,
      side: o.side,
      quantityKw: o.quantityKw,
      availabilityPence: o.availability,
      utilisationPence: o.utilisation,
      submittedAtMs: o.submittedAtMs,
      key: o.key,
    })),
  );

describe("R-MATCH-3 engine equals the rule as written", () => {
  it("gives exactly the trades of the word-for-word greedy walk, R-ELIG-5 keys included", () => {
    fc.assert(
      fc.property(ordersArb, (orders) => {
        const key = (o: Order) => (o as Order & { key: string }).key;
        expect(matchMarket("m", orders, key)).toEqual(referenceMatch("m", orders, key));
      }),
      propertyParams("engine equals reference greedy"),
    );
  });
});

describe("OfferIndex", () => {
  it("finds the first offer at or after a position with quantity left within an availability limit", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 70 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.nat(),
        fc.integer({ min: 0, max: 20 }),
        (availability, exhausted, from, limit) => {
          const index = new OfferIndex(availability);
          const gone = new Set(exhausted.map((e) => e % availability.length));
          for (const g of gone) index.exhaust(g);
          const start = from % (availability.length + 1);
          let expected = -1;
          for (let i = start; i < availability.length; i += 1)
            if (!gone.has(i) && availability[i]! <= limit) {
              expected = i;
              break;
            }
          expect(index.next(start, limit)).toBe(expected);
        },
      ),
      propertyParams("offer index equals a linear scan"),
    );
  });
});
