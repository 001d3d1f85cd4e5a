import { compatible, type Trade, tradeOf } from "../../functions/core/matching/match";
import { compareBids, compareOffers } from "../../functions/core/matching/rank";
import { type Order, totalPence } from "../../functions/core/orders/order";

/**
 * R-MATCH-3 written word for word, with no index: for each bid in rank order, walk every offer in
 * rank order; stop when the bid is filled or the next offer's total exceeds the bid's; trade with
 * every compatible offer that has quantity left. Quadratic, for tests only: the engine must give
 * exactly the same trades.
 */
export function referenceMatch(
  marketId: string,
  orders: ReadonlyArray<Order>,
  key: (o: Order) => string = () => "",
): Trade[] {
  const bids = orders.filter((o) => o.side === "buy").sort(compareBids);
  const offers = orders.filter((o) => o.side === "sell").sort(compareOffers);
  const left = new Map(offers.map((o) => [o.orderId, o.quantityKw]));
  const trades: Trade[] = [];
  for (const bid of bids) {
    let need = bid.quantityKw;
    for (const offer of offers) {
      if (need === 0) break;
      if (totalPence(offer) > totalPence(bid)) break;
      if (!compatible(bid, offer, key) || left.get(offer.orderId)! === 0) continue;
      const q = Math.min(need, left.get(offer.orderId)!);
      need -= q;
      left.set(offer.orderId, left.get(offer.orderId)! - q);
      trades.push(tradeOf(marketId, trades.length, bid, offer, q));
    }
  }
  return trades;
}
