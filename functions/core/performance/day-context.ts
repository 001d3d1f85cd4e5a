import { allocate } from "../allocation/allocate";
import type { PostTradeConfig } from "../config/post-trade-config";
import { kwIntToW } from "../model/watts";
import type { PostTradeDay } from "../verification/day";
import { type Membership, membershipOf } from "../verification/membership";
import { type ActualsRecord, type HeldActuals, heldActuals } from "./actuals";
import { type MeterBook, type MeterUpload, meterBookOf } from "./meter-readings";
import type { Nomination } from "./nominations";
import { type UnitInForce, unitsInForce } from "./units-in-force";

/** Everything the rules after delivery read about one day, as held at `asOfMs`. */
export interface PostDeliveryInputs {
  day: PostTradeDay;
  actuals: ReadonlyArray<ActualsRecord>;
  uploads: ReadonlyArray<MeterUpload>;
  nominations: ReadonlyArray<Nomination>;
  /** Entry id → other days with a trade of it in force (R-PERF-5 event days). */
  eventDays: ReadonlyMap<string, ReadonlySet<string>>;
  config: PostTradeConfig;
  /** Inputs received after this instant are not held (R-PERF-11, R-SETTLE-7). */
  asOfMs: number;
}

/**
 * The per-constraint, per-SP facts of a day (R-PERF-1, R-PERF-10, R-CI-2), computed once and
 * shared by performance, third-party impact and the Curtailment Index. All powers in W.
 */
export interface DayContext {
  inputs: PostDeliveryInputs;
  membership: Membership;
  actuals: HeldActuals;
  meters: MeterBook;
  /** R-PERF-1 R_act of a constraint in an SP: the ANM's, else the look-ahead's (`missing`). */
  requiredW(constraintId: string, index: number): { w: number; missing: boolean };
  /** R-UNIT-3 units in force. */
  units(constraintId: string, index: number): UnitInForce[];
  /**
   * R-PERF-1 applied curtailment per unit in force: the ANM's values where it gave them for the
   * constraint (unlisted unit = 0), else R-ALLOC on the units in force with R_act and the
   * published forecasts (`given` false).
   */
  applied(constraintId: string, index: number): { byUnit: Map<string, number>; given: boolean };
  /** R-PERF-1 the ANM's available power V of an entry, or undefined. */
  availableW(entryId: string, index: number): number | undefined;
  /**
   * R-PERF-10 counterfactual CF: R-ALLOC on the constraint's membership (R-VERIFY-1) with R_act
   * and V (forecast where missing); a created constraint without R_act counts 0 (§19).
   */
  counterfactualW(constraintId: string, index: number): Map<string, number>;
}

/** Builds the {@link DayContext} of a day's inputs. */
export function dayContextOf(inputs: PostDeliveryInputs): DayContext {
  const { day } = inputs;
  const membership = membershipOf(day.lookAhead, day.changes);
  const actuals = heldActuals(inputs.actuals, inputs.asOfMs);
  const meters = meterBookOf(inputs.uploads, inputs.asOfMs, inputs.config.meterDataDeadlineDays);
  const memo = <T>(f: (k: string, i: number) => T) => {
    const cache = new Map<string, T>();
    return (k: string, i: number) => {
      const key = `${k}\u0000${i}`;
      let v = cache.get(key);
      if (v === undefined) {
        v = f(k, i);
        cache.set(key, v);
      }
      return v;
    };
  };
  const requiredW = memo((k, i) => {
    const held = actuals.constraints.get(k);
    if (held) return { w: held.requiredW[i] ?? 0, missing: false };
    return { w: kwIntToW(membership.requiredKw(k)?.[i] ?? 0), missing: true };
  });
  // §19 R-VERIFY-1: a created constraint's missing R_act counts 0 for CF and R-CI.
  const ractW = (k: string, i: number) =>
    actuals.constraints.has(k) || membership.known(k) ? requiredW(k, i).w : 0;
  const units = memo((k, i) => unitsInForce(day, membership, k, i));
  const availableW = (e: string, i: number) => actuals.availableW.get(e)?.[i];
  const applied = memo((k, i) => {
    const given = actuals.constraints.get(k)?.appliedW;
    const list = units(k, i);
    if (given)
      return {
        given: true,
        byUnit: new Map(list.map((u) => [u.unitId, given.get(u.unitId)?.[i] ?? 0])),
      };
    const alloc = allocate(
      list.map((u) => ({
        curtailmentOrder: u.curtailmentOrder,
        forecastKw: [kwIntToW(u.forecastKw)],
      })),
      [ractW(k, i)],
    );
    return {
      given: false,
      byUnit: new Map(list.map((u, row) => [u.unitId, alloc.curtailmentKw[row]![0]!])),
    };
  });
  const counterfactualW = memo((k, i) => {
    const entries = membership.at(k, i)?.mol.entries ?? [];
    const r = ractW(k, i);
    const alloc = allocate(
      entries.map((e) => ({
        curtailmentOrder: e.curtailmentOrder,
        forecastKw: [availableW(e.entryId, i) ?? kwIntToW(e.forecastKw[i] ?? 0)],
      })),
      [r],
    );
    return new Map(entries.map((e, row) => [e.entryId, alloc.curtailmentKw[row]![0]!]));
  });
  return {
    inputs,
    membership,
    actuals,
    meters,
    requiredW,
    units,
    applied,
    availableW,
    counterfactualW,
  };
}
