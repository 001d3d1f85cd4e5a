import { tradeIdOf } from "../model/ids";
import { type Order, totalPence } from "../orders/order";
import { OfferIndex } from "./offer-index";
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
  // R-MATCH-2's key never differs inside a group, so each group of offers is walked on its own;
  // the walk order inside a group is the rank order.
  const groups = new Map<string, { offers: Order[]; left: number[]; index?: OfferIndex }>();
  for (const offer of orders.filter((o) => o.side === "sell").sort(compareOffers)) {
    const k = key(offer);
    let group = groups.get(k);
    if (!group) {
      group = { offers: [], left: [] };
      groups.set(k, group);
    }
    group.offers.push(offer);
    group.left.push(offer.quantityKw);
  }
  for (const group of groups.values())
    group.index = new OfferIndex(group.offers.map((o) => o.availabilityPence));

  const trades: Trade[] = [];
  for (const bid of bids) {
    const group = groups.get(key(bid));
    if (!group) continue;
    const { offers, left } = group;
    const index = group.index!;
    let need = bid.quantityKw;
    const bidTotal = totalPence(bid);
    // Offers skipped by the index have no quantity left or an availability price above the
    // bid's: R-MATCH-3 would pass over them as incompatible. Offers are in ascending total, so
    // the first one found above the bid's total ends the walk as R-MATCH-3 says.
    for (
      let i = index.next(0, bid.availabilityPence);
      need > 0 && i >= 0;
      i = index.next(i + 1, bid.availabilityPence)
    ) {
      const offer = offers[i]!;
      if (totalPence(offer) > bidTotal) break;
      if (offer.participantId === bid.participantId) continue;
      const q = Math.min(need, left[i]!);
      need -= q;
      left[i] = left[i]! - q;
      if (left[i] === 0) index.exhaust(i);
      trades.push(tradeOf(marketId, trades.length, bid, offer, q));
    }
  }
  return trades;
}

/** R-MATCH-4/5: the trade of `quantityKw` between a bid and an offer, at the offer's prices. */
export function tradeOf(
  marketId: string,
  sequence: number,
  bid: Order,
  offer: Order,
  quantityKw: number,
): Trade {
  return {
    tradeId: tradeIdOf(marketId, bid.orderId, offer.orderId),
    marketId,
    sequence,
    buyOrderId: bid.orderId,
    sellOrderId: offer.orderId,
    buyEntryId: bid.entryId,
    sellEntryId: offer.entryId,
    buyParticipantId: bid.participantId,
    sellParticipantId: offer.participantId,
    quantityKw,
    availabilityPence: offer.availabilityPence,
    utilisationPence: offer.utilisationPence,
  };
}
