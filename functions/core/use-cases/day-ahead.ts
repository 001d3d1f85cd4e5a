import { matchMarket, type Trade } from "../matching/match";
import {
  type ConstraintMeritOrder,
  type PlacedTrade,
  reorderMeritOrders,
} from "../merit-order/reorder";
import type { LookAhead } from "../model/look-ahead";
import type { DayAheadBook, Opportunity } from "../opportunities/derive";
import type { Order } from "../orders/order";

/** Key of an opportunity by (market, entry, side). */
export function opportunityKey(marketId: string, entryId: string, side: string): string {
  return `${marketId}\u0000${entryId}\u0000${side}`;
}

/** Index of a book's opportunities by {@link opportunityKey}. */
export function indexOpportunities(
  opportunities: ReadonlyArray<Opportunity>,
): Map<string, Opportunity> {
  return new Map(opportunities.map((o) => [opportunityKey(o.marketId, o.entryId, o.side), o]));
}

/**
 * Close and match (R-MATCH) every market of the book with its open orders. Orders must already
 * have passed R-ORDER-1/2. Trades come out by market (book order) then matching order.
 */
export function matchDay(book: DayAheadBook, orders: ReadonlyArray<Order>): Trade[] {
  const opportunities = indexOpportunities(book.opportunities);
  // R-ELIG-5: only orders whose entries share the same set of other active constraints may meet.
  const key = (o: Order) =>
    (
      opportunities.get(opportunityKey(o.marketId, o.entryId, o.side))?.sharedConstraintIds ?? []
    ).join("\u0000");
  const byMarket = new Map<string, Order[]>();
  for (const o of orders) {
    const list = byMarket.get(o.marketId);
    if (list) list.push(o);
    else byMarket.set(o.marketId, [o]);
  }
  return book.markets.flatMap((m) => matchMarket(m.marketId, byMarket.get(m.marketId) ?? [], key));
}

/**
 * Where each trade's swap applies (R-ELIG-5): its market's constraint and the shared constraints.
 */
export function placeTrades(book: DayAheadBook, trades: ReadonlyArray<Trade>): PlacedTrade[] {
  const opportunities = indexOpportunities(book.opportunities);
  const markets = new Map(book.markets.map((m) => [m.marketId, m]));
  return trades.map((trade) => {
    const market = markets.get(trade.marketId)!;
    const buy = opportunities.get(opportunityKey(trade.marketId, trade.buyEntryId, "buy"));
    return { trade, constraintIds: [market.constraintId, ...(buy?.sharedConstraintIds ?? [])] };
  });
}

/** R-REORDER for the whole day: the re-ordered MOL of every constraint that has trades. */
export function reorderDay(
  lookAhead: LookAhead,
  book: DayAheadBook,
  trades: ReadonlyArray<Trade>,
): ConstraintMeritOrder[] {
  return reorderMeritOrders(lookAhead, book.markets, placeTrades(book, trades));
}
