import type { Trade } from "../matching/match";
import type { MeritOrderSegment } from "../merit-order/reorder";
import { toUtcIso } from "../model/settlement-periods";
import { kwToMw, penceToGbp } from "../model/units";
import type { Market, Opportunity } from "../opportunities/derive";

/**
 * Core objects → the JSON shapes of api.md, in MW, GBP and ISO instants. The API and
 * `npm run simulate` both answer through these, so the two doors show the same numbers.
 */

export function marketView(m: Market) {
  return {
    marketId: m.marketId,
    anmSchemeId: m.anmSchemeId,
    deliveryDate: m.deliveryDate,
    constraintId: m.constraintId,
    windowStart: toUtcIso(m.windowStartMs),
    windowEnd: toUtcIso(m.windowEndMs),
    constraintSizeMw: kwToMw(m.constraintSizeKw),
    energyMwh: m.energyWh / 1_000_000,
    gateClosureAt: toUtcIso(m.gateClosureMs),
    marketDepth: { buyMw: kwToMw(m.depth.buyKw), sellMw: kwToMw(m.depth.sellKw) },
  };
}

export function opportunityView(o: Opportunity, gateClosureMs: number) {
  return {
    opportunityId: o.opportunityId,
    marketId: o.marketId,
    constraintId: o.constraintId,
    entryId: o.entryId,
    assetId: o.assetId,
    participantId: o.participantId,
    side: o.side,
    windowStart: toUtcIso(o.windowStartMs),
    windowEnd: toUtcIso(o.windowEndMs),
    constraintSizeMw: kwToMw(o.constraintSizeKw),
    predictedCurtailmentMw: o.predictedCurtailmentKw.map(kwToMw),
    curtailmentOrder: o.curtailmentOrder,
    mwAhead: kwToMw(o.mwAheadKw),
    maxQuantityMw: kwToMw(o.maxQuantityKw),
    sharedConstraintIds: o.sharedConstraintIds,
    gateClosureAt: toUtcIso(gateClosureMs),
  };
}

export function tradeView(t: Trade, market: Pick<Market, "windowStartMs" | "windowEndMs">) {
  return {
    tradeId: t.tradeId,
    marketId: t.marketId,
    buyOrderId: t.buyOrderId,
    sellOrderId: t.sellOrderId,
    buyEntryId: t.buyEntryId,
    sellEntryId: t.sellEntryId,
    quantityMw: kwToMw(t.quantityKw),
    availabilityPrice: penceToGbp(t.availabilityPence),
    utilisationPrice: penceToGbp(t.utilisationPence),
    windowStart: toUtcIso(market.windowStartMs),
    windowEnd: toUtcIso(market.windowEndMs),
  };
}

export function segmentView(s: MeritOrderSegment) {
  return {
    marketId: s.marketId,
    marketIds: s.marketIds,
    validFrom: toUtcIso(s.validFromMs),
    validTo: toUtcIso(s.validToMs),
    entries: s.entries.map((l) => ({
      curtailmentOrder: l.curtailmentOrder,
      entryId: l.entryId,
      parentEntryId: l.parentEntryId,
      ...(l.tradeId ? { tradeId: l.tradeId } : {}),
      resourceId: l.resourceId,
      capacityMw: kwToMw(l.capacityKw),
      forecastMw: l.forecastKw.map(kwToMw),
      curtailmentMw: l.curtailmentKw.map(kwToMw),
    })),
  };
}
