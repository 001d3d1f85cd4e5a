import { type Order, totalPence } from "../orders/order";
import { OfferIndex } from "./offer-index";
import { bidRanking, offerRanking } from "./rank";
import { MarketTrades, type Trade } from "./trades";

// The trade record and its constructor stay importable from here, where matching makes them.
export { type Trade, tradeOf } from "./trades";

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
 * What the walk reads of some orders, as parallel arrays: of `orders[at[i]]`, or of `orders[i]`
 * without `at`. The walk reads these instead of the order records (D-123).
 */
interface OrderColumns {
  /** Total price, pence. */
  total: Float64Array;
  availability: Float64Array;
  quantityKw: Float64Array;
  participant: string[];
}

function orderColumns(orders: ReadonlyArray<Order>, at?: Int32Array): OrderColumns {
  const n = at ? at.length : orders.length;
  const total = new Float64Array(n);
  const availability = new Float64Array(n);
  const quantityKw = new Float64Array(n);
  const participant: string[] = new Array(n);
  for (let i = 0; i < n; i += 1) {
    const o = orders[at ? at[i]! : i]!;
    total[i] = totalPence(o);
    availability[i] = o.availabilityPence;
    quantityKw[i] = o.quantityKw;
    participant[i] = o.participantId;
  }
  return { total, availability, quantityKw, participant };
}

/**
 * The offers of one R-ELIG-5 group in rank order, for the walk: their columns (`quantityKw` is
 * the group's own copy, what is left of each offer), their positions in the side's list and the
 * index over their availability prices.
 */
interface OfferGroup extends OrderColumns {
  position: Int32Array;
  index: OfferIndex;
}

function offerGroup(offers: ReadonlyArray<Order>, position: Int32Array): OfferGroup {
  const columns = orderColumns(offers, position);
  return { ...columns, position, index: new OfferIndex(columns.availability) };
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
  return matchMarketColumns(marketId, orders, key).toTrades();
}

/**
 * {@link matchMarket} with the trades as columns (D-120): no record and no id is made until the
 * caller asks for one, so re-ordering can run on the columns and the ids are derived once.
 */
export function matchMarketColumns(
  marketId: string,
  orders: ReadonlyArray<Order>,
  key?: CompatibilityKey,
): MarketTrades {
  const buys: Order[] = [];
  const sells: Order[] = [];
  for (const o of orders)
    if (o.side === "buy") buys.push(o);
    else if (o.side === "sell") sells.push(o);
  const bidRank = bidRanking(buys);
  const offerRank = offerRanking(sells);
  const bids = bidRank.orders;
  const offers = offerRank.orders;
  // The bids' columns in the side's own order (for a large book, the order the orders were made).
  const bidColumns = orderColumns(bids);
  // R-MATCH-2's key never differs inside a group, so each group of offers is walked on its own;
  // the walk order inside a group is the rank order.
  let only: OfferGroup | undefined;
  const groups = new Map<string, OfferGroup>();
  if (!key) {
    if (offers.length > 0) only = offerGroup(offers, offerRank.positions);
  } else {
    const members = new Map<string, number[]>();
    for (const p of offerRank.positions) {
      const k = key(offers[p]!);
      const list = members.get(k);
      if (list) list.push(p);
      else members.set(k, [p]);
    }
    for (const [k, list] of members) groups.set(k, offerGroup(offers, Int32Array.from(list)));
  }

  // Each trade fills its bid or empties its offer, so there are at most bids + offers of them.
  const capacity = bids.length + offers.length;
  const bidAt = new Int32Array(capacity);
  const offerAt = new Int32Array(capacity);
  const quantityKw = new Float64Array(capacity);
  let count = 0;
  for (let r = 0; r < bids.length; r += 1) {
    const b = bidRank.positions[r]!;
    const group = key ? groups.get(key(bids[b]!)) : only;
    if (!group) continue;
    const { position, total, participant, quantityKw: left, index } = group;
    let need = bidColumns.quantityKw[b]!;
    const bidTotal = bidColumns.total[b]!;
    const limit = bidColumns.availability[b]!;
    const bidder = bidColumns.participant[b]!;
    // Offers skipped by the index have no quantity left or an availability price above the
    // bid's: R-MATCH-3 would pass over them as incompatible. Offers are in ascending total, so
    // the first one found above the bid's total ends the walk as R-MATCH-3 says.
    for (let i = index.next(0, limit); need > 0 && i >= 0; i = index.next(i + 1, limit)) {
      if (total[i]! > bidTotal) break;
      if (participant[i] === bidder) continue;
      const rest = left[i]!;
      const q = Math.min(need, rest);
      need -= q;
      left[i] = rest - q;
      if (rest - q === 0) index.exhaust(i);
      bidAt[count] = b;
      offerAt[count] = position[i]!;
      quantityKw[count] = q;
      count += 1;
    }
  }
  return new MarketTrades(
    marketId,
    bids,
    offers,
    bidAt.subarray(0, count),
    offerAt.subarray(0, count),
    quantityKw.subarray(0, count),
  );
}
