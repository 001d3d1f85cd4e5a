import type { MarketStore, OrderCancellation, OrderStore, StoredOrder } from "../ports";
import type { AuditEntry } from "./audit";
import type { Actor } from "./roles";

/** What the operator's brakes read and cancel (D-136). */
export interface BrakePorts {
  orders: Pick<OrderStore, "openOrdersOfParticipant" | "cancelOrders">;
  markets: Pick<MarketStore, "getMarket">;
}

/** Which of a participant's open orders a decision stops: all, or one asset's entries. */
export type BrakeScope =
  | { readonly kind: "participant" }
  | { readonly kind: "asset"; readonly anmSchemeId: string; readonly entryIds: readonly string[] };

/** The participant's open orders the decision stops (every open order is in a live cycle). */
export async function openOrdersStopped(
  ports: BrakePorts,
  participantId: string,
  scope: BrakeScope,
): Promise<StoredOrder[]> {
  const open = await ports.orders.openOrdersOfParticipant(participantId);
  if (scope.kind === "participant") return open;
  const entries = new Set(scope.entryIds);
  const candidates = open.filter((o) => entries.has(o.entryId));
  const schemes = new Map<string, string | undefined>();
  for (const marketId of new Set(candidates.map((o) => o.marketId)))
    schemes.set(marketId, (await ports.markets.getMarket(marketId))?.anmSchemeId);
  return candidates.filter((o) => schemes.get(o.marketId) === scope.anmSchemeId);
}

/** The cancellation a decision carries: its orders, the instant and each order's audit record. */
export function brakeCancellation(
  orders: readonly StoredOrder[],
  atMs: number,
  at: string,
  actor: Actor,
  reason: string,
): OrderCancellation {
  return {
    orders,
    atMs,
    audit: (order): AuditEntry => ({
      subject: order.orderId,
      action: "order.cancelled",
      actor,
      at,
      from: "open",
      to: "cancelled",
      reason,
    }),
  };
}

/**
 * After the decision has committed — so that no order of the scope can be placed or amended any
 * more (the order transaction checks the claim and the participant, D-136) — the open orders it
 * did not cancel in its own transaction are read again and cancelled in batches, in order id
 * order. Returns how many were cancelled here.
 */
export async function cancelTheRest(
  ports: BrakePorts,
  participantId: string,
  scope: BrakeScope,
  cancellation: OrderCancellation,
  alreadyCancelled: readonly string[],
): Promise<number> {
  const done = new Set(alreadyCancelled);
  const rest = (await openOrdersStopped(ports, participantId, scope)).filter(
    (o) => !done.has(o.orderId),
  );
  if (rest.length === 0) return 0;
  return (await ports.orders.cancelOrders(rest, cancellation.atMs, cancellation.audit)).length;
}
