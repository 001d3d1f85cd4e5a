import type { Constraint } from "../model/look-ahead";
import type { DeliveryDay } from "../model/settlement-periods";

/** A constraint event (R-EVENT-1): a maximal run of SPs with required curtailment > 0. */
export interface ConstraintEvent {
  constraintId: string;
  /** 0-based index of the first SP of the run in the delivery day. */
  firstIndex: number;
  /** 0-based index one past the last SP of the run. */
  endIndex: number;
  windowStartMs: number;
  windowEndMs: number;
  /** Peak required curtailment over the run, kW. */
  sizeKw: number;
  /** 0-based index of the first SP at the peak. */
  peakIndex: number;
  /** Σ required × 0.5 h, in watt-hours (integer: kW × 500). */
  energyWh: number;
}

/** R-EVENT-1: the events of one constraint over its delivery day, in time order. */
export function findEvents(constraint: Constraint, day: DeliveryDay): ConstraintEvent[] {
  const events: ConstraintEvent[] = [];
  const required = constraint.requiredKw;
  let i = 0;
  while (i < required.length) {
    if ((required[i] ?? 0) <= 0) {
      i += 1;
      continue;
    }
    const first = i;
    let peakIndex = i;
    let energyWh = 0;
    while (i < required.length && (required[i] ?? 0) > 0) {
      const r = required[i]!;
      if (r > required[peakIndex]!) peakIndex = i;
      energyWh += r * 500;
      i += 1;
    }
    events.push({
      constraintId: constraint.constraintId,
      firstIndex: first,
      endIndex: i,
      windowStartMs: day.periods[first]!.startMs,
      windowEndMs: day.periods[i - 1]!.endMs,
      sizeKw: required[peakIndex]!,
      peakIndex,
      energyWh,
    });
  }
  return events;
}
