import { type Order, totalPence } from "../orders/order";

function byId(a: Order, b: Order): number {
  return a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0;
}

/**
 * R-MATCH-1 bids: total price descending, availability price descending, `submittedAt`
 * ascending, `orderId` ascending.
 */
export function compareBids(a: Order, b: Order): number {
  return (
    totalPence(b) - totalPence(a) ||
    b.availabilityPence - a.availabilityPence ||
    a.submittedAtMs - b.submittedAtMs ||
    byId(a, b)
  );
}

/**
 * R-MATCH-1 offers: total price ascending, availability price ascending, `submittedAt`
 * ascending, `orderId` ascending.
 */
export function compareOffers(a: Order, b: Order): number {
  return (
    totalPence(a) - totalPence(b) ||
    a.availabilityPence - b.availabilityPence ||
    a.submittedAtMs - b.submittedAtMs ||
    byId(a, b)
  );
}
