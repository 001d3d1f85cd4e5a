import type { Cycle, CycleStore, StoredTrade, TradeStore } from "../ports";

/**
 * D-298: a cycle's trades take effect only when the cycle publishes its re-ordered MOLs. Match
 * stores them before Reorder and Publish; a cycle that then fails publishes the original MOL
 * (§10, R-REORDER-5) and no `trade.confirmed`, and a superseded one publishes nothing, so their
 * trades never bound anyone: no participant sees them, no rule after delivery reads them and no
 * statement bills them. The stored items stay under their cycle for the operator's inspection.
 */
export const tradesTakeEffect = (cycle: Pick<Cycle, "status">): boolean =>
  cycle.status === "published";

/** A cycle's trades that took effect: all of a published cycle's, none of any other's. */
export async function tradesOfCycleInForce(
  ports: { trades: Pick<TradeStore, "listTradesOfCycle"> },
  cycle: Pick<Cycle, "cycleId" | "status">,
): Promise<StoredTrade[]> {
  return tradesTakeEffect(cycle) ? ports.trades.listTradesOfCycle(cycle.cycleId) : [];
}

/** A participant's trades of a delivery day that took effect (its published cycles' trades). */
export async function tradesOfParticipantInForce(
  ports: {
    cycles: Pick<CycleStore, "cyclesOfDay">;
    trades: Pick<TradeStore, "listTradesOfParticipant">;
  },
  participantId: string,
  deliveryDate: string,
): Promise<StoredTrade[]> {
  const [trades, cycles] = await Promise.all([
    ports.trades.listTradesOfParticipant(participantId, deliveryDate),
    ports.cycles.cyclesOfDay(deliveryDate),
  ]);
  const inForce = new Set(cycles.filter(tradesTakeEffect).map((c) => c.cycleId));
  return trades.filter((t) => inForce.has(t.cycleId));
}
