import { tradeIdOf } from "../model/ids";
import { type Order, totalPence } from "../orders/order";
import { compareBids, compareOffers } from "./rank";

/** A trade (R-MATCH-3/4): a quantity moved from a bid's entry to an offer's entry. */
export interface Trade {
  tradeId: string;
  marketId: string;
  /** 0-based position in the market's matching order (R-REORDER-2/3 use it). */
  sequence: number;
  buyOrderId: string;
  sellOrderId: string;
  buyEntryId: string;
  sellEntryId: string;
  buyParticipantId: string;
  sellParticipantId: string;
  quantityKw: number;
  /** Pay-as-offer (R-MATCH-4), pence. */
  availabilityPence: number;
  utilisationPence: number;
}

/**
 * R-MATCH-2 beyond prices: a key saying which bids and offers may meet (R-ELIG-5: the same set of
 * other active constraints). Orders with different keys never trade.
 */
export type CompatibilityKey = (order: Order) => string;

/**
 * R-MATCH-2: offer total ≤ bid total, offer availability ≤ bid availability, different
 * participants, same R-ELIG-5 key.
 */
export function compatible(bid: Order, offer: Order, key: CompatibilityKey): boolean {
  return (
    totalPence(offer) <= totalPence(bid) &&
    offer.availabilityPence <= bid.availabilityPence &&
    offer.participantId !== bid.participantId &&
    key(bid) === key(offer)
  );
}

/**
 * R-MATCH-1..5 for one market: rank both sides, then for each bid in rank order walk the offers in
 * rank order, trading `min(bid remaining, offer remaining)` with every compatible offer that has
 * quantity left, until the bid is filled or the next offer's total exceeds the bid's total.
 * Pay-as-offer; trade ids derive from (market, bid, offer). Pure and deterministic: the result
 * depends only on the set of orders, not on their array order.
 */
export function matchMarket(
  marketId: string,
  orders: ReadonlyArray<Order>,
  key: CompatibilityKey = () => "",
): Trade[] {
  const bids = orders.filter((o) => o.side === "buy").sort(compareBids);
  const offers = orders.filter((o) => o.side === "sell").sort(compareOffers);
  const left = offers.map((o) => o.quantityKw);
  // Skip exhausted offers in O(α): parent[i] is i while offer i has quantity left, else a later
  // index; index offers.length is the sentinel.
  const parent = Array.from({ length: offers.length + 1 }, (_, i) => i);
  const live = (from: number): number => {
    let i = from;
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };

  const trades: Trade[] = [];
  for (const bid of bids) {
    let need = bid.quantityKw;
    const bidTotal = totalPence(bid);
    for (let i = live(0); need > 0 && i < offers.length; i = live(i + 1)) {
      const offer = offers[i]!;
      if (totalPence(offer) > bidTotal) break;
      if (!compatible(bid, offer, key)) continue;
      const q = Math.min(need, left[i]!);
      need -= q;
      left[i]! -= q;
      if (left[i] === 0) parent[i] = i + 1;
      trades.push({
        tradeId: tradeIdOf(marketId, bid.orderId, offer.orderId),
        marketId,
        sequence: trades.length,
        buyOrderId: bid.orderId,
        sellOrderId: offer.orderId,
        buyEntryId: bid.entryId,
        sellEntryId: offer.entryId,
        buyParticipantId: bid.participantId,
        sellParticipantId: offer.participantId,
        quantityKw: q,
        availabilityPence: offer.availabilityPence,
        utilisationPence: offer.utilisationPence,
      });
    }
  }
  return trades;
}
