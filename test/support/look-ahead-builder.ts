import type { LookAheadBody } from "../../functions/core/model/look-ahead";
import { periodCount } from "../../functions/core/model/settlement-periods";
import type { EntryClaim } from "../../functions/core/opportunities/derive";

/** A MOL line for {@link lookAheadBody}: forecast as a constant or one value per SP. */
export interface EntrySpec {
  entryId: string;
  capacityMw: number;
  forecastMw?: number | number[];
  tradable?: boolean;
  flexibleServiceWindows?: { start: string; end: string }[];
}

/** A constraint for {@link lookAheadBody}: required MW by 1-based SP (others 0), and its MOL. */
export interface ConstraintSpec {
  constraintId: string;
  required: Record<number, number>;
  mol: EntrySpec[];
}

/**
 * Builds a look-ahead body for tests. MOL entries get `curtailmentOrder` by position (first =
 * curtailed first) and `resourceId` = the entry id up to its first dash.
 */
export function lookAheadBody(
  deliveryDate: string,
  constraints: ConstraintSpec[],
  extra: Partial<LookAheadBody> = {},
): LookAheadBody {
  const n = periodCount(deliveryDate);
  return {
    lookAheadId: `LA-${deliveryDate}`,
    anmSchemeId: "TEST-ANM",
    deliveryDate,
    issuedAt: "2026-01-01T00:00:00Z",
    constraints: constraints.map((c) => ({
      constraintId: c.constraintId,
      requiredCurtailmentMw: Array.from({ length: n }, (_, i) => c.required[i + 1] ?? 0),
    })),
    mols: constraints.map((c) => ({
      constraintId: c.constraintId,
      version: 1,
      entries: c.mol.map((e, i) => ({
        entryId: e.entryId,
        resourceId: e.entryId.split("-")[0]!,
        capacityMw: e.capacityMw,
        forecastMw:
          typeof e.forecastMw === "number" || e.forecastMw === undefined
            ? Array.from({ length: n }, () => (e.forecastMw as number | undefined) ?? e.capacityMw)
            : e.forecastMw,
        curtailmentOrder: i + 1,
        ...(e.tradable === undefined ? {} : { tradable: e.tradable }),
        ...(e.flexibleServiceWindows ? { flexibleServiceWindows: e.flexibleServiceWindows } : {}),
      })),
    })),
    ...extra,
  };
}

/** Eligibility claims (R-ELIG-1) for entries owned as given: entry id → participant id. */
export function claimsFor(owners: Record<string, string>): Map<string, EntryClaim> {
  return new Map(
    Object.entries(owners).map(([entryId, participantId]) => [
      entryId,
      { entryId, participantId, assetId: `A-${entryId}`, flexibleServiceWindows: [] },
    ]),
  );
}
