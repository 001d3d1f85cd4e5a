import * as z from "zod";
import { calendarDate } from "../model/fields";
import { hasAtMostDecimals } from "../model/units";
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from "./bank-holidays-england-wales";

/** A mid-X-of-Y rule (R-PERF-5): the X values kept out of the Y most recent days. */
export interface MidXOfY {
  x: number;
  y: number;
}

/**
 * Per-scheme settings of the rules after gate closure (§18). Fractions are held in thousandths
 * (D-13), so no computation ever reads a float.
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

/** A local wall-clock time `HH:MM`. */
export const localTimeField = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be HH:MM (local)" });

/** A fraction in [0, 1] with at most 3 decimals (held in thousandths, D-13). */
export const fractionField = z
  .number()
  .min(0)
  .max(1)
  .refine((v) => hasAtMostDecimals(v, 3), { message: "must have at most 3 decimals (D-13)" });

/** A mid-X-of-Y pair `[X, Y]` with 1 ≤ X ≤ Y (R-PERF-5). */
export const xOfYField = z
  .tuple([z.number().int().min(1), z.number().int().min(1)])
  .refine(([x, y]) => x <= y, { message: "X must not exceed Y" });

/**
 * The §18 fields that are plain values (no nesting), each optional, shared by the scheme route
 * and the offline scenario (whose nested baseline fields use §18's own names).
 */
export function postTradeScalarFields() {
  return {
    verificationNoticeMinutes: z
      .number()
      .int()
      .min(0)
      .max(1440)
      .optional()
      .meta({ description: "R-VERIFY-3 notice, minutes. Default 30." }),
    vetoDeadline: localTimeField.nullable().optional().meta({
      description:
        "R-VERIFY-8 veto deadline, HH:MM local on the day before delivery; null: no vetoes. Default 14:00.",
    }),
    graceFactor: fractionField
      .optional()
      .meta({ description: "R-SETTLE-2 grace factor GF, 0–1, ≤ 3 decimals. Default 0.05." }),
    performanceFloor: fractionField.optional().meta({
      description:
        "R-SETTLE-2 performance floor, 0–1, ≤ 3 decimals, below 1 − graceFactor. Default 0.5.",
    }),
    pmMode: z
      .enum(["linear", "step"])
      .optional()
      .meta({ description: "R-SETTLE-2 performance multiplier: linear or step. Default linear." }),
    meterDataDeadlineDays: z.number().int().min(0).max(60).optional().meta({
      description:
        "R-PERF-2 days after delivery for meter data (5: deadline 00:00 on D+6). Default 5.",
    }),
    baselineDeadline: localTimeField.nullable().optional().meta({
      description:
        "R-PERF-3 baseline deadline, HH:MM local on the day before delivery; null: the day's gate closure. Default null.",
    }),
    shortfallCompensation: z
      .boolean()
      .optional()
      .meta({ description: "R-SETTLE-6 shortfall compensation. Default false." }),
    bankHolidays: z.array(calendarDate).max(1000).optional().meta({
      description:
        "R-PERF-5 bank holidays (YYYY-MM-DD); replaces the default list (England and Wales, 2026–2030) whole.",
    }),
  };
}

/**
 * The post-trade part of a scheme's `config` in `PUT /schemes/{id}` (docs/api.md "Scheme
 * configuration"): every field optional, the §18 default where absent.
 */
export const PostTradeConfigSchema = z
  .strictObject(postTradeFields())
  .superRefine((c, ctx) => floorBelowGraceIssue(c, ctx));

/** Every §18 field of a scheme's `config` (each optional), nested baseline fields included. */
export function postTradeFields() {
  return {
    ...postTradeScalarFields(),
    baseline: z
      .strictObject({
        working: xOfYField
          .optional()
          .meta({ description: "R-PERF-5 working days: mid x of y, [x, y]. Default [8, 10]." }),
        nonWorking: xOfYField
          .optional()
          .meta({ description: "R-PERF-5 non-working days: mid x of y, [x, y]. Default [4, 5]." }),
        lookbackDays: z
          .number()
          .int()
          .min(1)
          .max(366)
          .optional()
          .meta({ description: "R-PERF-5 days looked back for baseline days. Default 60." }),
        adjustment: z
          .strictObject({
            spans: z.number().int().min(1).max(48).optional().meta({
              description: "SPs of the window W the adjustment is measured over. Default 4.",
            }),
            gap: z.number().int().min(0).max(48).optional().meta({
              description:
                "SPs between the end of W and the start of the trade's window. Default 1.",
            }),
            cap: fractionField.optional().meta({
              description:
                "The adjustment is clamped to ± this fraction of the mean baseline over W, 0–1. Default 0.2.",
            }),
          })
          .optional()
          .meta({
            description:
              "R-PERF-5 adjustment of the baseline to the metered values just before the trade's window.",
          }),
      })
      .optional()
      .meta({ description: "R-PERF-5 baseline settings; absent fields take their defaults." }),
  };
}

/** R-SETTLE-2 as a zod refinement: the floor must be below 1 − GF (defaults where absent). */
export function floorBelowGraceIssue(
  c: { graceFactor?: number | undefined; performanceFloor?: number | undefined },
  ctx: z.RefinementCtx,
): void {
  if (!floorBelowGrace(c.graceFactor, c.performanceFloor))
    ctx.addIssue({
      code: "custom",
      path: ["performanceFloor"],
      message: "must be below 1 − graceFactor (R-SETTLE-2)",
    });
}

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

export type PostTradeConfigInput = z.infer<typeof PostTradeConfigSchema>;

/** A validated {@link PostTradeConfigSchema} value with the §18 defaults filled in. */
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
