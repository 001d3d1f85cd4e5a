import { tradeIdOf } from "../model/ids";
import { type Order, totalPence } from "../orders/order";
import { OfferIndex } from "./offer-index";
import { rankBids, rankOffers } from "./rank";

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

/** The offers of one R-ELIG-5 group in rank order, as parallel arrays for the walk. */
interface OfferGroup {
  offers: Order[];
  /** Total price per offer, pence. */
  total: Float64Array;
  /** Quantity left per offer, kW. */
  left: Float64Array;
  index: OfferIndex;
}

function offerGroup(offers: Order[]): OfferGroup {
  const n = offers.length;
  const total = new Float64Array(n);
  const availability = new Float64Array(n);
  const left = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const o = offers[i]!;
    total[i] = totalPence(o);
    availability[i] = o.availabilityPence;
    left[i] = o.quantityKw;
  }
  return { offers, total, left, index: new OfferIndex(availability) };
}

/**
 * R-MATCH-1..5 for one market: rank both sides, then for each bid in rank order walk the offers in
 * rank order, trading `min(bid remaining, offer remaining)` with every compatible offer that has
 * quantity left, until the bid is filled or the next offer's total exceeds the bid's total.
 * Pay-as-offer; trade ids derive from (market, bid, offer). Pure and deterministic: the result
 * depends only on the set of orders, not on their array order. Without `key` every order is in
 * one R-ELIG-5 group.
 */
export function matchMarket(
  marketId: string,
  orders: ReadonlyArray<Order>,
  key?: CompatibilityKey,
): Trade[] {
  const buys: Order[] = [];
  const sells: Order[] = [];
  for (const o of orders)
    if (o.side === "buy") buys.push(o);
    else if (o.side === "sell") sells.push(o);
  const bids = rankBids(buys);
  const ranked = rankOffers(sells);
  // R-MATCH-2's key never differs inside a group, so each group of offers is walked on its own;
  // the walk order inside a group is the rank order.
  let only: OfferGroup | undefined;
  const groups = new Map<string, OfferGroup>();
  if (!key) {
    if (ranked.length > 0) only = offerGroup(ranked);
  } else {
    const members = new Map<string, Order[]>();
    for (const offer of ranked) {
      const k = key(offer);
      const list = members.get(k);
      if (list) list.push(offer);
      else members.set(k, [offer]);
    }
    for (const [k, list] of members) groups.set(k, offerGroup(list));
  }

  const trades: Trade[] = [];
  for (const bid of bids) {
    const group = key ? groups.get(key(bid)) : only;
    if (!group) continue;
    const { offers, total, left, index } = group;
    let need = bid.quantityKw;
    const bidTotal = totalPence(bid);
    const limit = bid.availabilityPence;
    const participant = bid.participantId;
    // Offers skipped by the index have no quantity left or an availability price above the
    // bid's: R-MATCH-3 would pass over them as incompatible. Offers are in ascending total, so
    // the first one found above the bid's total ends the walk as R-MATCH-3 says.
    for (let i = index.next(0, limit); need > 0 && i >= 0; i = index.next(i + 1, limit)) {
      if (total[i]! > bidTotal) break;
      const offer = offers[i]!;
      if (offer.participantId === participant) continue;
      const rest = left[i]!;
      const q = Math.min(need, rest);
      need -= q;
      left[i] = rest - q;
      if (rest - q === 0) index.exhaust(i);
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
