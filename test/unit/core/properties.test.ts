import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate } from "../../../functions/core/allocation/allocate";
import { compatible } from "../../../functions/core/matching/match";
import { totalPence } from "../../../functions/core/orders/order";
import { matchDay, reorderDay } from "../../../functions/core/use-cases/day-ahead";
import { randomMarketArb } from "../../support/market-arbitrary";
import { propertyParams } from "../../support/property";

const byId = <T extends { orderId: string }>(orders: T[]) =>
  new Map(orders.map((o) => [o.orderId, o]));

describe("properties of matching (R-MATCH)", () => {
  it("conserves capacity: every trade is positive and no order or entry trades more than it offered", () => {
    fc.assert(
      fc.property(randomMarketArb, ({ book, orders }) => {
        const trades = matchDay(book, orders);
        const used = new Map<string, number>();
        for (const t of trades) {
          expect(t.quantityKw).toBeGreaterThan(0);
          used.set(t.buyOrderId, (used.get(t.buyOrderId) ?? 0) + t.quantityKw);
          used.set(t.sellOrderId, (used.get(t.sellOrderId) ?? 0) + t.quantityKw);
        }
        for (const o of orders) expect(used.get(o.orderId) ?? 0).toBeLessThanOrEqual(o.quantityKw);
        for (const opp of book.opportunities) {
          const traded = trades
            .filter((t) => t.marketId === opp.marketId)
            .filter((t) => (opp.side === "buy" ? t.buyEntryId : t.sellEntryId) === opp.entryId)
            .reduce((s, t) => s + t.quantityKw, 0);
          expect(traded).toBeLessThanOrEqual(opp.maxQuantityKw);
        }
      }),
      propertyParams("capacity conserved per trade and per order"),
    );
  });

  it("R-MATCH-2/4 price feasibility: offer total ≤ bid total, offer availability ≤ bid's, paid at the offer's prices", () => {
    fc.assert(
      fc.property(randomMarketArb, ({ book, orders }) => {
        const index = byId(orders);
        for (const t of matchDay(book, orders)) {
          const bid = index.get(t.buyOrderId)!;
          const offer = index.get(t.sellOrderId)!;
          expect(totalPence(offer)).toBeLessThanOrEqual(totalPence(bid));
          expect(offer.availabilityPence).toBeLessThanOrEqual(bid.availabilityPence);
          expect([t.availabilityPence, t.utilisationPence]).toEqual([
            offer.availabilityPence,
            offer.utilisationPence,
          ]);
        }
      }),
      propertyParams("price feasibility"),
    );
  });

  it("R-MATCH-2 never trades a participant with itself", () => {
    fc.assert(
      fc.property(randomMarketArb, ({ book, orders }) => {
        for (const t of matchDay(book, orders))
          expect(t.buyParticipantId).not.toBe(t.sellParticipantId);
      }),
      propertyParams("no self-trade"),
    );
  });

  it("R-MATCH-3 leaves no compatible bid/offer pair with quantity on both sides", () => {
    fc.assert(
      fc.property(randomMarketArb, ({ book, orders }) => {
        const trades = matchDay(book, orders);
        const left = new Map(orders.map((o) => [o.orderId, o.quantityKw]));
        for (const t of trades) {
          left.set(t.buyOrderId, left.get(t.buyOrderId)! - t.quantityKw);
          left.set(t.sellOrderId, left.get(t.sellOrderId)! - t.quantityKw);
        }
        const open = orders.filter((o) => left.get(o.orderId)! > 0);
        for (const bid of open.filter((o) => o.side === "buy"))
          for (const offer of open.filter((o) => o.side === "sell" && o.marketId === bid.marketId))
            expect(compatible(bid, offer, () => "")).toBe(false);
      }),
      propertyParams("no compatible pair left"),
    );
  });

  it("R-MATCH-5 gives the same trades for any arrival order of the same orders", () => {
    fc.assert(
      fc.property(
        randomMarketArb.chain((m) =>
          fc.tuple(
            fc.constant(m),
            fc.shuffledSubarray(m.orders, {
              minLength: m.orders.length,
              maxLength: m.orders.length,
            }),
          ),
        ),
        ([{ book, orders }, shuffled]) => {
          expect(JSON.stringify(matchDay(book, shuffled))).toBe(
            JSON.stringify(matchDay(book, orders)),
          );
        },
      ),
      propertyParams("same trades for any arrival order"),
    );
  });
});

describe("properties of the re-ordered MOL (R-REORDER)", () => {
  it("R-REORDER-1/2 slices partition each traded entry's capacity and forecast", () => {
    fc.assert(
      fc.property(randomMarketArb, ({ lookAhead, book, orders }) => {
        const trades = matchDay(book, orders);
        const mol = lookAhead.mols.get("C1")!;
        for (const c of reorderDay(lookAhead, book, trades))
          for (const s of c.segments) {
            expect(new Set(s.entries.map((l) => l.entryId)).size).toBe(s.entries.length);
            expect(s.entries.map((l) => l.curtailmentOrder)).toEqual(
              s.entries.map((_, i) => i + 1),
            );
            for (const entry of mol.entries) {
              const parts = s.entries.filter((l) => l.parentEntryId === entry.entryId);
              expect(parts.length).toBeGreaterThan(0);
              expect(parts.reduce((sum, l) => sum + l.capacityKw, 0)).toBe(entry.capacityKw);
              for (let i = 0; i < s.endIndex - s.firstIndex; i += 1)
                expect(parts.reduce((sum, l) => sum + l.forecastKw[i]!, 0)).toBe(
                  entry.forecastKw[s.firstIndex + i],
                );
            }
          }
      }),
      propertyParams("slices partition each traded entry"),
    );
  });

  it("R-REORDER-5 leaves every untraded entry's curtailment unchanged", () => {
    fc.assert(
      fc.property(randomMarketArb, ({ lookAhead, book, orders }) => {
        const trades = matchDay(book, orders);
        const traded = new Set(trades.flatMap((t) => [t.buyEntryId, t.sellEntryId]));
        const mol = lookAhead.mols.get("C1")!;
        const before = allocate(mol.entries, lookAhead.constraints[0]!.requiredKw);
        for (const c of reorderDay(lookAhead, book, trades))
          for (const s of c.segments)
            mol.entries.forEach((entry, row) => {
              if (traded.has(entry.entryId)) return;
              const line = s.entries.find((l) => l.entryId === entry.entryId)!;
              expect(line.curtailmentKw).toEqual(
                before.curtailmentKw[row]!.slice(s.firstIndex, s.endIndex),
              );
            });
      }),
      propertyParams("untraded curtailment unchanged"),
    );
  });

  it("with no trades the MOL is unchanged (no segment is published)", () => {
    fc.assert(
      fc.property(randomMarketArb, ({ lookAhead, book, orders }) => {
        const trades = matchDay(book, orders);
        const reordered = reorderDay(lookAhead, book, trades);
        if (trades.length === 0) expect(reordered).toEqual([]);
        else expect(reordered.flatMap((c) => c.segments).length).toBeGreaterThan(0);
      }),
      propertyParams("no trades means MOL unchanged"),
    );
  });
});
