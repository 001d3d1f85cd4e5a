import { toUtcIso } from "../core/model/settlement-periods";
import { kwToMw, penceToGbp } from "../core/model/units";
import type {
  Cycle,
  StoredMarket,
  StoredOpportunity,
  StoredOrder,
  StoredTopologyChange,
  StoredTrade,
} from "../core/ports";
import {
  marketView as coreMarketView,
  opportunityView as coreOpportunityView,
  tradeView as coreTradeView,
} from "../core/use-cases/views";

/** The JSON of api.md for stored market objects; built on the core's views. */

export function marketView(m: StoredMarket) {
  return {
    ...coreMarketView(m),
    status: m.status,
    ...(m.vetoed && m.vetoedAtMs !== undefined
      ? { vetoed: true, vetoedAt: toUtcIso(m.vetoedAtMs) }
      : {}),
    ...(m.result
      ? { result: { tradeCount: m.result.tradeCount, tradedMw: kwToMw(m.result.tradedKw) } }
      : {}),
  };
}

export function opportunityView(o: StoredOpportunity, market: StoredMarket) {
  const { participantId: _own, ...view } = coreOpportunityView(o, o.gateClosureMs);
  return {
    ...view,
    marketDepth: { buyMw: kwToMw(market.depth.buyKw), sellMw: kwToMw(market.depth.sellKw) },
  };
}

export function orderView(o: StoredOrder) {
  return {
    orderId: o.orderId,
    marketId: o.marketId,
    entryId: o.entryId,
    side: o.side,
    quantityMw: kwToMw(o.quantityKw),
    availabilityPrice: penceToGbp(o.availabilityPence),
    utilisationPrice: penceToGbp(o.utilisationPence),
    ...(o.serviceType ? { serviceType: o.serviceType } : {}),
    status: o.status,
    submittedAt: toUtcIso(o.submittedAtMs),
    updatedAt: toUtcIso(o.updatedAtMs),
    ...(o.filledKw === undefined ? {} : { filledMw: kwToMw(o.filledKw) }),
  };
}

/** A trade as either party (or the operator) sees it: no participant ids. */
export function tradeView(t: StoredTrade) {
  const c = t.cancellation;
  return {
    ...coreTradeView(t, t),
    status: t.status,
    // R-VERIFY-4/8: when not confirmed, from when and why.
    ...(c && t.status !== "confirmed"
      ? {
          cancelledFromSp: c.cancelledFromSp,
          cancelledFrom: c.cancelledFrom,
          cancellationReason: c.cancellationReason,
          ...(c.topologyChangeId ? { topologyChangeId: c.topologyChangeId } : {}),
        }
      : {}),
  };
}

export function cycleView(c: Cycle) {
  return {
    cycleId: c.cycleId,
    lookAheadId: c.lookAheadId,
    anmSchemeId: c.anmSchemeId,
    deliveryDate: c.deliveryDate,
    status: c.status,
    gateClosureAt: toUtcIso(c.gateClosureMs),
    schemeVersion: c.schemeVersion ?? null,
    ...(c.executionArn ? { executionArn: c.executionArn } : {}),
    ...(c.step ? { step: c.step } : {}),
    ...(c.failure ? { failure: c.failure } : {}),
    ...(c.supersedes ? { supersedes: c.supersedes } : {}),
    ...(c.supersededBy ? { supersededBy: c.supersededBy } : {}),
    ...(c.unresolvable
      ? {
          unresolvable: c.unresolvable.map((u) => ({
            constraintId: u.constraintId,
            sp: u.sp,
            shortfallMw: kwToMw(u.shortfallKw),
          })),
        }
      : {}),
  };
}

/** An item of `GET /anm/topology-changes`. */
export function topologyChangeItemView(c: StoredTopologyChange) {
  return {
    topologyChangeId: c.topologyChangeId,
    anmSchemeId: c.anmSchemeId,
    deliveryDate: c.deliveryDate,
    effectiveFrom: String(c.body.effectiveFrom),
    receivedAt: toUtcIso(c.receivedAtMs),
    sequence: c.sequence,
    state: c.state,
    ...(c.result ? { result: c.result } : {}),
    ...(c.failure && c.state !== "applied"
      ? { failure: { error: c.failure.error, at: toUtcIso(c.failure.atMs) } }
      : {}),
  };
}
