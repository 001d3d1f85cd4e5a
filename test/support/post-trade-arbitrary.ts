import fc from "fast-check";
import { marketConfigOf } from "../../functions/core/config/market-config";
import { LookAheadSchema, toLookAhead } from "../../functions/core/model/look-ahead";
import { deriveOpportunities } from "../../functions/core/opportunities/derive";
import type { Order } from "../../functions/core/orders/order";
import type { PostDeliveryInputs } from "../../functions/core/performance/day-context";
import { acceptNomination, type Nomination } from "../../functions/core/performance/nominations";
import { matchDay } from "../../functions/core/use-cases/day-ahead";
import type { PostTradeDay } from "../../functions/core/verification/day";
import { publishedDay } from "../../functions/core/verification/published-day";
import { claimsFor, lookAheadBody } from "./look-ahead-builder";
import { actualsOf, inputsOf, meterUpload } from "./post-trade-day";

const STEP_MW = 0.25;

/**
 * A random published day that trades: a MOL of 3–8 entries (one owner each) behind C1 with a CLA
 * in SP 25–28 (0.25 MW steps), a bid from every buy opportunity at a high price and an offer
 * from every sell opportunity at a random lower one, each for a random share of its maximum,
 * matched (R-MATCH) and published as version 1.
 */
export const publishedDayArb: fc.Arbitrary<PostTradeDay> = fc
  .record({
    entries: fc.array(
      fc.integer({ min: 1, max: 24 }).chain((cap) =>
        fc.record({
          cap: fc.constant(cap),
          forecast: fc.array(fc.integer({ min: 1, max: cap }), { minLength: 4, maxLength: 4 }),
        }),
      ),
      { minLength: 3, maxLength: 8 },
    ),
    required: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 4, maxLength: 4 }),
    shares: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 8, maxLength: 8 }),
    prices: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 16, maxLength: 16 }),
  })
  .map(({ entries, required, shares, prices }) => {
    const req: Record<number, number> = {};
    required.forEach((r, i) => {
      req[25 + i] = r * STEP_MW;
    });
    const mol = entries.map((e, i) => ({
      entryId: `E${i}-A`,
      capacityMw: e.cap * STEP_MW,
      forecastMw: Array.from(
        { length: 48 },
        (_, sp) => (sp >= 24 && sp < 28 ? e.forecast[sp - 24]! : e.cap) * STEP_MW,
      ),
    }));
    const lookAhead = toLookAhead(
      LookAheadSchema.parse(
        lookAheadBody("2027-06-14", [{ constraintId: "C1", required: req, mol }]),
      ),
    );
    const owners = Object.fromEntries(mol.map((e, i) => [e.entryId, `p${i}`]));
    const book = deriveOpportunities(lookAhead, claimsFor(owners), marketConfigOf());
    const orders = book.opportunities.map((o, i): Order => {
      const order: Order = {
        orderId: `o${String(i).padStart(2, "0")}`,
        marketId: o.marketId,
        participantId: o.participantId,
        entryId: o.entryId,
        side: o.side,
        quantityKw: Math.max(1, Math.floor((o.maxQuantityKw * shares[i % shares.length]!) / 100)),
        availabilityPence: o.side === "buy" ? 5000 : prices[i % 16]! * 100,
        utilisationPence: o.side === "buy" ? 5000 : prices[(i + 7) % 16]! * 100,
        submittedAtMs: i,
      };
      if (o.side === "sell") order.serviceType = "generation-turn-down";
      return order;
    });
    const trades = matchDay(book, orders);
    return publishedDay({
      lookAhead,
      book,
      trades,
      serviceTypes: new Map(trades.map((t) => [t.tradeId, "generation-turn-down" as const])),
      owners: new Map(Object.entries(owners)),
      publishedAtMs: lookAhead.gateClosureMs,
    }).day;
  });

/**
 * A random published day with random post-delivery inputs: ANM actuals (R_act and available
 * power per entry in SP 25–28, in 0.25 MW steps), export readings and nominations of every
 * seller entry, each input with its own receive time.
 */
export const deliveredDayArb: fc.Arbitrary<PostDeliveryInputs> = publishedDayArb.chain((day) => {
  const entries = [...day.lookAhead.mols.values()].flatMap((m) => m.entries);
  const sellers = [...new Set(day.trades.map((t) => t.trade.sellEntryId))];
  const units = (cap: number) =>
    fc.array(fc.integer({ min: 0, max: Math.max(0, Math.round(cap / (STEP_MW * 1000))) }), {
      minLength: 4,
      maxLength: 4,
    });
  return fc
    .record({
      required: fc.option(
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 4, maxLength: 4 }),
        { nil: undefined },
      ),
      available: fc.tuple(...entries.map((e) => units(e.capacityKw))),
      metered: fc.tuple(
        ...sellers.map((s) => units(entries.find((e) => e.entryId === s)!.capacityKw)),
      ),
      nominated: fc.tuple(
        ...sellers.map((s) =>
          fc.option(units(entries.find((e) => e.entryId === s)!.capacityKw), { nil: undefined }),
        ),
      ),
    })
    .map(({ required, available, metered, nominated }) => {
      const n = day.lookAhead.day.periods.length;
      const series = (window: number[], base = 0) =>
        Array.from({ length: n }, (_, i) => (i >= 24 && i < 28 ? window[i - 24]! * STEP_MW : base));
      const actuals = [
        actualsOf(day, {
          actualsId: "ACT",
          constraints: required
            ? [{ constraintId: "C1", requiredCurtailmentMw: series(required) }]
            : [],
          availablePower: entries.map((e, i) => ({
            entryId: e.entryId,
            availableMw: series(available[i]!),
          })),
        }),
      ];
      const uploads = sellers.map((s, i) =>
        meterUpload({
          entryId: s,
          date: day.lookAhead.deliveryDate,
          direction: "export",
          kw: series(metered[i]!).map((mw) => mw * 1000),
          receivedAtMs: day.lookAhead.day.endMs + (i + 1) * 60_000,
        }),
      );
      const nominations: Nomination[] = [];
      sellers.forEach((s, i) => {
        const values = nominated[i];
        if (values)
          nominations.push(
            acceptNomination(
              {
                anmSchemeId: day.lookAhead.anmSchemeId,
                entryId: s,
                deliveryDate: day.lookAhead.deliveryDate,
                nominatedMw: series(values),
              },
              day.lookAhead,
              nominations,
              day.lookAhead.gateClosureMs - (i + 1) * 60_000,
              { baselineDeadline: null },
            ),
          );
      });
      return inputsOf(day, { actuals, uploads, nominations });
    });
});
