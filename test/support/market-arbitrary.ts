import fc from "fast-check";
import { DEFAULT_MARKET_CONFIG } from "../../functions/core/config/market-config";
import {
  type LookAhead,
  LookAheadSchema,
  toLookAhead,
} from "../../functions/core/model/look-ahead";
import { type DayAheadBook, deriveOpportunities } from "../../functions/core/opportunities/derive";
import type { Order } from "../../functions/core/orders/order";
import { assertOrderAcceptable } from "../../functions/core/orders/order";
import { opportunityKey } from "../../functions/core/use-cases/day-ahead";
import { claimsFor, lookAheadBody } from "./look-ahead-builder";

/** A random one-constraint day: MOL, CLA over SPs 25–28, owners, and orders that the API accepts. */
export interface RandomMarket {
  lookAhead: LookAhead;
  book: DayAheadBook;
  orders: Order[];
}

const STEP_KW = 250;

const entryArb = fc.integer({ min: 1, max: 24 }).chain((capUnits) =>
  fc.record({
    capUnits: fc.constant(capUnits),
    forecastUnits: fc.array(fc.integer({ min: 0, max: capUnits }), { minLength: 4, maxLength: 4 }),
    owner: fc.integer({ min: 0, max: 3 }),
  }),
);

const orderSpecArb = fc.record({
  entry: fc.nat(),
  fraction: fc.integer({ min: 1, max: 100 }),
  // Small price grids so that ties on total, availability and time all happen.
  availability: fc.integer({ min: 0, max: 8 }),
  utilisation: fc.integer({ min: 0, max: 8 }),
  submitted: fc.integer({ min: 0, max: 4 }),
});

/** Random markets; orders pass R-ORDER-1/2 exactly as the API would check them. */
export const randomMarketArb: fc.Arbitrary<RandomMarket> = fc
  .record({
    entries: fc.array(entryArb, { minLength: 2, maxLength: 8 }),
    required: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 4, maxLength: 4 }),
    orders: fc.array(orderSpecArb, { maxLength: 16 }),
  })
  .map(({ entries, required, orders }) => {
    const req: Record<number, number> = {};
    required.forEach((r, i) => {
      req[25 + i] = (r * STEP_KW) / 1000;
    });
    const mol = entries.map((e, i) => ({
      entryId: `E${i}-A`,
      capacityMw: (e.capUnits * STEP_KW) / 1000,
      forecastMw: Array.from(
        { length: 48 },
        (_, sp) => ((e.forecastUnits[(sp - 24 + 4) % 4] ?? 0) * STEP_KW) / 1000,
      ),
    }));
    const lookAhead = toLookAhead(
      LookAheadSchema.parse(
        lookAheadBody("2027-06-14", [{ constraintId: "C1", required: req, mol }]),
      ),
    );
    const owners = Object.fromEntries(entries.map((e, i) => [`E${i}-A`, `p${e.owner}`]));
    const book = deriveOpportunities(lookAhead, claimsFor(owners), DEFAULT_MARKET_CONFIG);
    const accepted: Order[] = [];
    const open = new Map<string, number>();
    if (book.opportunities.length > 0)
      orders.forEach((spec, n) => {
        const opp = book.opportunities[spec.entry % book.opportunities.length]!;
        const key = opportunityKey(opp.marketId, opp.entryId, opp.side);
        const order: Order = {
          orderId: `o${String(n).padStart(2, "0")}`,
          marketId: opp.marketId,
          participantId: opp.participantId,
          entryId: opp.entryId,
          side: opp.side,
          quantityKw: Math.max(1, Math.floor((opp.maxQuantityKw * spec.fraction) / 100)),
          availabilityPence: spec.availability * 100,
          utilisationPence: spec.utilisation * 100,
          submittedAtMs: spec.submitted,
        };
        if (opp.side === "sell") order.serviceType = "generation-turn-down";
        try {
          assertOrderAcceptable(order, opp, open.get(key) ?? 0, DEFAULT_MARKET_CONFIG);
          open.set(key, (open.get(key) ?? 0) + order.quantityKw);
          accepted.push(order);
        } catch {
          // refused by R-ORDER-2, as the API would: not part of the market
        }
      });
    return { lookAhead, book, orders: accepted };
  });
