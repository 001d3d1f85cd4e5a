import { periodCount } from "../../functions/core/model/settlement-periods";

/**
 * A synthetic ANM scheme for load and scale runs (the bench, the large-cycle test): `constraints`
 * constraints of `entriesPerConstraint` entries each (2 MW capacity, 1 MW forecast), with
 * `curtailedMw` required curtailment in settlement periods [fromSp, toSp) of the day, so the
 * entries first in each MOL are forecast to be curtailed (buyers) and the rest can sell.
 */
export interface SyntheticScheme {
  anmSchemeId: string;
  deliveryDate: string;
  constraints: number;
  entriesPerConstraint: number;
  curtailedMw: number;
  fromSp: number;
  toSp: number;
}

export const syntheticEntryId = (constraint: number, index: number) => `E${constraint}-${index}`;

/** The entries participant `participant` of `participants` claims: every participants-th one. */
export function syntheticEntriesOf(
  scheme: SyntheticScheme,
  participant: number,
  participants: number,
): string[] {
  const ids: string[] = [];
  for (let c = 0; c < scheme.constraints; c += 1)
    for (let i = 0; i < scheme.entriesPerConstraint; i += 1)
      if ((c * scheme.entriesPerConstraint + i) % participants === participant)
        ids.push(syntheticEntryId(c, i));
  return ids;
}

/** The scheme's `POST /anm/look-aheads` body. */
export function syntheticLookAhead(scheme: SyntheticScheme, gateClosureAt: string) {
  const n = periodCount(scheme.deliveryDate);
  return {
    lookAheadId: `LA-${scheme.anmSchemeId}`,
    anmSchemeId: scheme.anmSchemeId,
    deliveryDate: scheme.deliveryDate,
    issuedAt: new Date().toISOString(),
    gateClosureAt,
    constraints: Array.from({ length: scheme.constraints }, (_, c) => ({
      constraintId: `C${c}`,
      requiredCurtailmentMw: Array.from({ length: n }, (_, sp) =>
        sp >= scheme.fromSp && sp < scheme.toSp ? scheme.curtailedMw : 0,
      ),
    })),
    mols: Array.from({ length: scheme.constraints }, (_, c) => ({
      constraintId: `C${c}`,
      version: 1,
      entries: Array.from({ length: scheme.entriesPerConstraint }, (_, i) => ({
        entryId: syntheticEntryId(c, i),
        resourceId: `R${c}-${i}`,
        capacityMw: 2,
        forecastMw: Array.from({ length: n }, () => 1),
        curtailmentOrder: i + 1,
      })),
    })),
  };
}

/**
 * The k-th order of a run on an opportunity: bids at £10–16/MW/h + £30–34/MWh, offers at
 * £5–13/MW/h + £20–30/MWh, so that many but not all pairs can trade.
 */
export function syntheticOrder(
  opportunity: { marketId: string; entryId: string; side: "buy" | "sell" },
  k: number,
  quantityMw: number,
) {
  const buy = opportunity.side === "buy";
  return {
    marketId: opportunity.marketId,
    entryId: opportunity.entryId,
    side: opportunity.side,
    quantityMw,
    availabilityPrice: buy ? 10 + (k % 7) : 5 + (k % 9),
    utilisationPrice: buy ? 30 + (k % 5) : 20 + (k % 11),
    ...(buy ? {} : { serviceType: "generation-turn-down" as const }),
  };
}
