import { toUtcIso } from "../model/settlement-periods";
import { kwToMw } from "../model/units";
import type { Market, Opportunity } from "../opportunities/derive";
import { type PlatformEvent, platformEvent } from "./platform-event";

/**
 * R-NOTIFY-4 `market.opened` to each participant with an opportunity in the market, listing its
 * own opportunities there. Subject: the market and the cycle that opened it (R-NOTIFY-3 §19), so
 * a superseding cycle that opens the same market id again makes a new event. Recipients in id
 * order; a market nobody can trade in tells nobody.
 */
export function marketOpenedEvents(
  cycleId: string,
  market: Market,
  opportunities: ReadonlyArray<Opportunity>,
  atMs: number,
): PlatformEvent[] {
  const byParticipant = new Map<string, Opportunity[]>();
  for (const o of opportunities) {
    if (o.marketId !== market.marketId) continue;
    const list = byParticipant.get(o.participantId) ?? [];
    list.push(o);
    byParticipant.set(o.participantId, list);
  }
  return [...byParticipant.keys()].sort().map((participantId) =>
    platformEvent({
      type: "market.opened",
      recipient: participantId,
      subject: `${market.marketId}/${cycleId}`,
      label: market.marketId,
      version: null,
      timestampMs: atMs,
      data: {
        anmSchemeId: market.anmSchemeId,
        deliveryDate: market.deliveryDate,
        marketId: market.marketId,
        constraintId: market.constraintId,
        windowStart: toUtcIso(market.windowStartMs),
        windowEnd: toUtcIso(market.windowEndMs),
        gateClosureAt: toUtcIso(market.gateClosureMs),
        opportunities: byParticipant
          .get(participantId)!
          .sort((a, b) => (a.opportunityId < b.opportunityId ? -1 : 1))
          .map((o) => ({
            opportunityId: o.opportunityId,
            entryId: o.entryId,
            side: o.side,
            maxQuantityMw: kwToMw(o.maxQuantityKw),
          })),
      },
    }),
  );
}

/** R-NOTIFY-4 `order.cancelled` to the order's owner: its look-ahead was superseded (R-IN-3). */
export function orderCancelledEvent(
  order: { orderId: string; marketId: string; participantId: string },
  atMs: number,
): PlatformEvent {
  return platformEvent({
    type: "order.cancelled",
    recipient: order.participantId,
    subject: order.orderId,
    label: order.orderId,
    version: null,
    timestampMs: atMs,
    data: { orderId: order.orderId, marketId: order.marketId, reason: "look-ahead-superseded" },
  });
}
