import type { LookAhead, Mol } from "../model/look-ahead";
import type { HeldTopologyChange } from "./day";

/** The MOL of a constraint in one SP and where it came from (`look-ahead` or a change id). */
export interface MolInForce {
  mol: Mol;
  source: string;
}

/**
 * R-VERIFY-1 (§19) membership: constraint k's MOL in SP s is that of the change with the largest
 * `effectiveFrom` ≤ start of s among all changes held that list k (ties: the later received),
 * else the look-ahead's. A constraint created by a change is known from then on.
 */
export interface Membership {
  /** Look-ahead constraints in look-ahead order, then constraints created by changes. */
  constraintIds: ReadonlyArray<string>;
  /** The MOL of `constraintId` in SP `index` (0-based); undefined where it has none. */
  at(constraintId: string, index: number): MolInForce | undefined;
  /**
   * The constraint's required curtailment per SP, kW: the look-ahead's CLA, or for a created
   * constraint the latest change's `requiredCurtailmentMw`; undefined = none given (R-VERIFY-4:
   * then active).
   */
  requiredKw(constraintId: string): ReadonlyArray<number> | undefined;
  /** True when the constraint is in the look-ahead. */
  known(constraintId: string): boolean;
  /** True when the constraint's MOL in force in SP `index` lists the entry. */
  holds(constraintId: string, index: number, entryId: string): boolean;
  /** The constraints any MOL of which (the look-ahead's or a change's) lists the entry, in `constraintIds` order. */
  listing(entryId: string): ReadonlyArray<string>;
}

/** Builds the membership of a day from its look-ahead and the changes held (any receive time). */
export function membershipOf(
  lookAhead: LookAhead,
  changes: ReadonlyArray<HeldTopologyChange>,
): Membership {
  const periods = lookAhead.day.periods;
  const known = new Set(lookAhead.constraints.map((c) => c.constraintId));
  const ids = lookAhead.constraints.map((c) => c.constraintId);
  const listing = new Map<string, { mol: Mol; source: string; fromMs: number; rank: number }[]>();
  const created = new Map<string, number[] | undefined>();
  changes.forEach((held, rank) => {
    for (const c of held.change.constraints) {
      if (!known.has(c.constraintId) && !ids.includes(c.constraintId)) ids.push(c.constraintId);
      if (!known.has(c.constraintId) && (c.requiredKw || !created.has(c.constraintId)))
        created.set(c.constraintId, c.requiredKw ?? created.get(c.constraintId));
      const list = listing.get(c.constraintId) ?? [];
      list.push({
        mol: { constraintId: c.constraintId, version: undefined, entries: c.entries },
        source: held.change.topologyChangeId,
        fromMs: held.change.effectiveFromMs,
        rank,
      });
      listing.set(c.constraintId, list);
    }
  });
  const table = new Map<string, (MolInForce | undefined)[]>();
  for (const id of ids) {
    const base = lookAhead.mols.get(id);
    const own: MolInForce | undefined = base ? { mol: base, source: "look-ahead" } : undefined;
    const list = [...(listing.get(id) ?? [])].sort(
      (a, b) => a.fromMs - b.fromMs || a.rank - b.rank,
    );
    table.set(
      id,
      periods.map((p) => {
        let found: MolInForce | undefined = own;
        for (const l of list) if (l.fromMs <= p.startMs) found = { mol: l.mol, source: l.source };
        return found;
      }),
    );
  }
  const cla = new Map(lookAhead.constraints.map((c) => [c.constraintId, c.requiredKw]));
  // Indexes over the MOLs in force, so that a day of many constraints is not searched entry by
  // entry (the answers are those of a search of `at`).
  const entrySets = new Map<Mol, Set<string>>();
  const byEntry = new Map<string, string[]>();
  for (const id of ids)
    for (const inForce of table.get(id)!) {
      if (!inForce || entrySets.has(inForce.mol)) continue;
      const set = new Set(inForce.mol.entries.map((e) => e.entryId));
      entrySets.set(inForce.mol, set);
      for (const entryId of set) {
        const list = byEntry.get(entryId) ?? [];
        if (list.at(-1) !== id) list.push(id);
        byEntry.set(entryId, list);
      }
    }
  return {
    constraintIds: ids,
    at: (constraintId, index) => table.get(constraintId)?.[index],
    requiredKw: (constraintId) => cla.get(constraintId) ?? created.get(constraintId),
    known: (constraintId) => known.has(constraintId),
    holds: (constraintId, index, entryId) => {
      const inForce = table.get(constraintId)?.[index];
      return inForce ? entrySets.get(inForce.mol)!.has(entryId) : false;
    },
    listing: (entryId) => byEntry.get(entryId) ?? [],
  };
}
