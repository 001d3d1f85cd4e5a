import { latestVersion, type PostTradeDay } from "../verification/day";
import type { Membership } from "../verification/membership";

/** A unit as published (R-UNIT-3 "unit"): an entry, a slice `E/T` or a remainder `E/rem`. */
export interface UnitInForce {
  unitId: string;
  parentEntryId: string;
  tradeId?: string;
  curtailmentOrder: number;
  /** Published forecast in this SP, kW. */
  forecastKw: number;
}

/**
 * R-UNIT-3: the units in force for a constraint and SP are those of the latest published
 * version's segment there, else the ANM's own MOL (R-VERIFY-1 membership). In curtailment order.
 */
export function unitsInForce(
  day: Pick<PostTradeDay, "versions">,
  membership: Membership,
  constraintId: string,
  index: number,
): UnitInForce[] {
  const segment = latestVersion(day, constraintId)?.segments.find(
    (s) => s.firstIndex <= index && index < s.endIndex,
  );
  if (segment) {
    const k = index - segment.firstIndex;
    return segment.entries.map((l) => {
      const unit: UnitInForce = {
        unitId: l.entryId,
        parentEntryId: l.parentEntryId,
        curtailmentOrder: l.curtailmentOrder,
        forecastKw: l.forecastKw[k] ?? 0,
      };
      if (l.tradeId) unit.tradeId = l.tradeId;
      return unit;
    });
  }
  const mol = membership.at(constraintId, index)?.mol;
  return (mol?.entries ?? []).map((e) => ({
    unitId: e.entryId,
    parentEntryId: e.entryId,
    curtailmentOrder: e.curtailmentOrder,
    forecastKw: e.forecastKw[index] ?? 0,
  }));
}
