import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from "./bank-holidays-england-wales";
import type { PostTradeConfigInput } from "./post-trade-config-schema";

export type { PostTradeConfigInput } from "./post-trade-config-schema";

/** A mid-X-of-Y rule (R-PERF-5): the X values kept out of the Y most recent days. */
export interface MidXOfY {
  x: number;
  y: number;
}

/**
 * Per-scheme settings of the rules after gate closure (§18). Fractions are held in thousandths
 * (D-13), so no computation ever reads a float. The zod schemas of the fields as an operator
 * sets them are in `post-trade-config-schema.ts`: only what validates a configuration builds them.
 */
export interface PostTradeConfig {
  /** R-VERIFY-3 notice before a cancellation takes effect, minutes. @default 30 */
  verificationNoticeMinutes: number;
  /** R-VERIFY-8 veto deadline, `HH:MM` local on D-1; null = vetoes off. @default "14:00" */
  vetoDeadline: string | null;
  /** R-SETTLE-2 grace factor GF, thousandths. @default 50 (0.05) */
  graceFactorPermille: number;
  /** R-SETTLE-2 performance floor, thousandths. @default 500 (0.50) */
  performanceFloorPermille: number;
  /** R-SETTLE-2 PM curve. @default "linear" */
  pmMode: "linear" | "step";
  /** R-PERF-2 meter deadline N: 00:00 local on D + N + 1. @default 5 */
  meterDataDeadlineDays: number;
  /** R-PERF-3 nomination deadline `HH:MM` local on D-1; null = the day's gate closure. @default null */
  baselineDeadline: string | null;
  /** R-PERF-5 baseline day selection. @default 8 of 10 working, 4 of 5 non-working, 60 days */
  baseline: {
    working: MidXOfY;
    nonWorking: MidXOfY;
    lookbackDays: number;
    /** Additive adjustment: `spans` SPs ending `gap` SPs before the window, capped at ±cap. */
    adjustment: { spans: number; gap: number; capPermille: number };
  };
  /** R-PERF-5 bank holidays (non-working days). @default England and Wales 2026–2030 */
  bankHolidays: ReadonlySet<string>;
  /** R-SETTLE-6 compensation lines for harmed entries. @default false */
  shortfallCompensation: boolean;
}

/** §18 defaults. */
export const DEFAULT_POST_TRADE_CONFIG: PostTradeConfig = {
  verificationNoticeMinutes: 30,
  vetoDeadline: "14:00",
  graceFactorPermille: 50,
  performanceFloorPermille: 500,
  pmMode: "linear",
  meterDataDeadlineDays: 5,
  baselineDeadline: null,
  baseline: {
    working: { x: 8, y: 10 },
    nonWorking: { x: 4, y: 5 },
    lookbackDays: 60,
    adjustment: { spans: 4, gap: 1, capPermille: 200 },
  },
  bankHolidays: new Set(ENGLAND_AND_WALES_BANK_HOLIDAYS),
  shortfallCompensation: false,
};

/** R-SETTLE-2: 0 ≤ floor < 1 − GF (defaults where absent). */
export function floorBelowGrace(graceFactor?: number, performanceFloor?: number): boolean {
  const gf = Math.round(
    (graceFactor ?? DEFAULT_POST_TRADE_CONFIG.graceFactorPermille / 1000) * 1000,
  );
  const floor = Math.round(
    (performanceFloor ?? DEFAULT_POST_TRADE_CONFIG.performanceFloorPermille / 1000) * 1000,
  );
  return floor < 1000 - gf;
}

/** A validated `PostTradeConfigSchema` value with the §18 defaults filled in. */
export function toPostTradeConfig(input: PostTradeConfigInput = {}): PostTradeConfig {
  const d = DEFAULT_POST_TRADE_CONFIG;
  const permille = (v: number | undefined, fallback: number) =>
    v === undefined ? fallback : Math.round(v * 1000);
  const pair = (v: [number, number] | undefined, fallback: MidXOfY) =>
    v ? { x: v[0], y: v[1] } : fallback;
  return {
    verificationNoticeMinutes: input.verificationNoticeMinutes ?? d.verificationNoticeMinutes,
    vetoDeadline: input.vetoDeadline === undefined ? d.vetoDeadline : input.vetoDeadline,
    graceFactorPermille: permille(input.graceFactor, d.graceFactorPermille),
    performanceFloorPermille: permille(input.performanceFloor, d.performanceFloorPermille),
    pmMode: input.pmMode ?? d.pmMode,
    meterDataDeadlineDays: input.meterDataDeadlineDays ?? d.meterDataDeadlineDays,
    baselineDeadline:
      input.baselineDeadline === undefined ? d.baselineDeadline : input.baselineDeadline,
    baseline: {
      working: pair(input.baseline?.working, d.baseline.working),
      nonWorking: pair(input.baseline?.nonWorking, d.baseline.nonWorking),
      lookbackDays: input.baseline?.lookbackDays ?? d.baseline.lookbackDays,
      adjustment: {
        spans: input.baseline?.adjustment?.spans ?? d.baseline.adjustment.spans,
        gap: input.baseline?.adjustment?.gap ?? d.baseline.adjustment.gap,
        capPermille: permille(input.baseline?.adjustment?.cap, d.baseline.adjustment.capPermille),
      },
    },
    bankHolidays: input.bankHolidays ? new Set(input.bankHolidays) : d.bankHolidays,
    shortfallCompensation: input.shortfallCompensation ?? d.shortfallCompensation,
  };
}

/** The post-trade configuration a scheme runs under on a day: its own §18 fields over the defaults. */
export function postTradeConfigOf(settings?: { readonly postTrade?: PostTradeConfigInput }) {
  return toPostTradeConfig(settings?.postTrade ?? {});
}
