import { toUtcIso } from "../core/model/settlement-periods";
import { kwToMw, penceToGbp } from "../core/model/units";
import type {
  Cycle,
  StoredMarket,
  StoredOpportunity,
  StoredOrder,
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
  return { ...coreTradeView(t, t), status: t.status };
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
