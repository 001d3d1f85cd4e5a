import type { PostTradeConfig } from "../config/post-trade-config";
import {
  addDays,
  isClockChangeDay,
  isWorkingDay,
  localTimeOf,
  spIndexAtLocalTime,
} from "../model/calendar";
import { Rational } from "../model/rational";
import { deliveryDay } from "../model/settlement-periods";
import type { MeterBook } from "./meter-readings";

/** Flags a baseline or adjustment can carry (R-PERF-4/5). */
export type BaselineFlag =
  | "NOMINATION_MISSING"
  | "ANM_AVAILABLE_MISSING"
  | "NO_BASELINE"
  | "NO_ADJUSTMENT";

export interface BaselineValue {
  /** Baseline power, W (exact); undefined when there is none. */
  w: Rational | undefined;
  flags: BaselineFlag[];
}

/**
 * R-PERF-4 generation-turn-down baseline: B = min(N, V) of the nomination N and the ANM's
 * available power V (W). No N: B = V (NOMINATION_MISSING); no V: B = N (ANM_AVAILABLE_MISSING);
 * neither: none (NO_BASELINE).
 */
export function generationBaseline(
  nominatedW: number | undefined,
  availableW: number | undefined,
): BaselineValue {
  if (nominatedW === undefined && availableW === undefined)
    return { w: undefined, flags: ["NOMINATION_MISSING", "ANM_AVAILABLE_MISSING", "NO_BASELINE"] };
  if (nominatedW === undefined)
    return { w: Rational.of(availableW!), flags: ["NOMINATION_MISSING"] };
  if (availableW === undefined)
    return { w: Rational.of(nominatedW), flags: ["ANM_AVAILABLE_MISSING"] };
  return { w: Rational.of(Math.min(nominatedW, availableW)), flags: [] };
}

/** A mid-X-of-Y baseline of one SP and the history days it used (R-PERF-5). */
export interface MidXOfYBaseline extends BaselineValue {
  /** The candidate days found, most recent first (k ≤ Y of them). */
  daysUsed: string[];
}

/**
 * R-PERF-5 demand-turn-up baseline of SP `index` of `deliveryDate`: candidate days are the days
 * before D (at most `lookbackDays`) of D's type (working = Mon–Fri and not a scheme bank holiday),
 * not a clock-change day, not an event day of the entry, with a counting import reading at the
 * SP's local start time. The Y most recent are taken (k found); k < X: NO_BASELINE. Sorted
 * ascending (equal values all kept, §19), ⌊(k−X)/2⌋ lowest and the rest of k−X highest are
 * dropped, and B is the exact mean of the X left.
 */
export function midXOfYBaseline(input: {
  entryId: string;
  deliveryDate: string;
  index: number;
  meters: MeterBook;
  eventDays: ReadonlySet<string>;
  config: Pick<PostTradeConfig, "baseline" | "bankHolidays">;
}): MidXOfYBaseline {
  const { config, deliveryDate } = input;
  const working = isWorkingDay(deliveryDate, config.bankHolidays);
  const { x, y } = working ? config.baseline.working : config.baseline.nonWorking;
  const at = localTimeOf(deliveryDay(deliveryDate).periods[input.index]!.startMs);
  const daysUsed: string[] = [];
  const values: number[] = [];
  for (let back = 1; back <= config.baseline.lookbackDays && daysUsed.length < y; back += 1) {
    const day = addDays(deliveryDate, -back);
    if (isWorkingDay(day, config.bankHolidays) !== working) continue;
    if (isClockChangeDay(day) || input.eventDays.has(day)) continue;
    const index = spIndexAtLocalTime(day, at);
    if (index === undefined) continue;
    const reading = input.meters.reading(input.entryId, day, "import", index);
    if (!reading) continue;
    daysUsed.push(day);
    values.push(reading.w);
  }
  const k = values.length;
  if (k < x) return { w: undefined, flags: ["NO_BASELINE"], daysUsed };
  const sorted = [...values].sort((a, b) => a - b);
  const low = Math.floor((k - x) / 2);
  const kept = sorted.slice(low, low + x);
  return { w: Rational.sum(kept.map((v) => Rational.of(v))).div(x), flags: [], daysUsed };
}

/**
 * R-PERF-5 additive adjustment of a trade: over W, the `spans` SPs ending `gap` SPs before the
 * window's first SP, adj = mean(metered) − mean(baseline), clamped to ±cap × mean(baseline).
 * W reaching before SP 1, or a value missing in it: adj = 0 (NO_ADJUSTMENT).
 */
export function additiveAdjustment(input: {
  windowFirstIndex: number;
  baselineAt: (index: number) => Rational | undefined;
  meteredAt: (index: number) => number | undefined;
  config: Pick<PostTradeConfig, "baseline">;
}): { adjW: Rational; flags: BaselineFlag[] } {
  const { spans, gap, capPermille } = input.config.baseline.adjustment;
  const first = input.windowFirstIndex - gap - spans;
  const none = { adjW: Rational.ZERO, flags: ["NO_ADJUSTMENT" as const] };
  if (first < 0) return none;
  let b = Rational.ZERO;
  let m = Rational.ZERO;
  for (let i = first; i < first + spans; i += 1) {
    const bi = input.baselineAt(i);
    const mi = input.meteredAt(i);
    if (bi === undefined || mi === undefined) return none;
    b = b.add(bi);
    m = m.add(mi);
  }
  const meanB = b.div(spans);
  const cap = meanB.mul(capPermille).div(1000);
  const raw = m.div(spans).sub(meanB);
  return { adjW: Rational.max(cap.neg(), Rational.min(cap, raw)), flags: [] };
}
