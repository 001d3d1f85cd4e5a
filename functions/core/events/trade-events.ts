import { toUtcIso } from "../model/settlement-periods";
import { kwToMw, penceToGbp } from "../model/units";
import { type DayTrade, type PostTradeDay, validIndexes } from "../verification/day";
import { type PlatformEvent, platformEvent } from "./platform-event";

/** R-NOTIFY-4 `trade.confirmed` to each party of each trade (at the day-ahead publication). */
export function tradeConfirmedEvents(
  day: Pick<PostTradeDay, "trades" | "lookAhead">,
  atMs: number,
): PlatformEvent[] {
  return day.trades.flatMap((t) =>
    (["buy", "sell"] as const).map((side) =>
      platformEvent({
        type: "trade.confirmed",
        recipient: side === "buy" ? t.trade.buyParticipantId : t.trade.sellParticipantId,
        subject: t.trade.tradeId,
        label: t.trade.tradeId,
        version: null,
        timestampMs: atMs,
        data: {
          tradeId: t.trade.tradeId,
          marketId: t.trade.marketId,
          deliveryDate: day.lookAhead.deliveryDate,
          side,
          entryId: side === "buy" ? t.trade.buyEntryId : t.trade.sellEntryId,
          counterpartyEntryId: side === "buy" ? t.trade.sellEntryId : t.trade.buyEntryId,
          quantityMw: kwToMw(t.trade.quantityKw),
          availabilityPrice: penceToGbp(t.trade.availabilityPence),
          utilisationPrice: penceToGbp(t.trade.utilisationPence),
          windowStart: toUtcIso(t.market.windowStartMs),
          windowEnd: toUtcIso(t.market.windowEndMs),
        },
      }),
    ),
  );
}

/**
 * R-NOTIFY-4 `trade.cancelled` to both parties (R-VERIFY-6, R-VERIFY-8); subject the trade,
 * version the merit-order version in force after the cancellation (R-NOTIFY-3 §19).
 */
export function tradeCancelledEvents(
  t: DayTrade,
  day: Pick<PostTradeDay, "lookAhead">,
): PlatformEvent[] {
  const c = t.cancellation;
  if (!c) return [];
  const period = day.lookAhead.day.periods[c.fromIndex]!;
  const data: Record<string, unknown> = {
    tradeId: t.trade.tradeId,
    marketId: t.trade.marketId,
    deliveryDate: day.lookAhead.deliveryDate,
    reason: c.reason,
    ...(c.topologyChangeId ? { topologyChangeId: c.topologyChangeId } : {}),
    cancelledFromSp: period.sp,
    cancelledFrom: period.start,
    validSpCount: validIndexes(t).length,
    meritOrderVersion: c.meritOrderVersion,
  };
  return [t.trade.buyParticipantId, t.trade.sellParticipantId].map((recipient) =>
    platformEvent({
      type: "trade.cancelled",
      recipient,
      subject: t.trade.tradeId,
      label: t.trade.tradeId,
      version: c.meritOrderVersion,
      timestampMs: c.atMs,
      data,
    }),
  );
}
