import * as z from "zod";
import { calendarDate } from "../model/fields";
import { hasAtMostDecimals } from "../model/units";
import { floorBelowGrace } from "./post-trade-config";

/**
 * The zod schemas of the §18 post-trade fields of a scheme's configuration, as the scheme route
 * and the offline scenario take them. A module of its own so that a function that only reads a
 * stored configuration (`post-trade-config.ts`) does not build them on its cold start (D-299).
 */

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

export type PostTradeConfigInput = z.infer<typeof PostTradeConfigSchema>;
