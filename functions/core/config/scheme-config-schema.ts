import * as z from "zod";
import { calendarDate } from "../model/fields";
import { hasAtMostDecimals, MAX_GBP } from "../model/units";
import {
  floorBelowGraceIssue,
  fractionField,
  localTimeField,
  postTradeFields,
} from "./post-trade-config-schema";

/**
 * A scheme's configuration as the operator sets it (`PUT /schemes/{anmSchemeId}`): the day-ahead
 * settings of market-rules v1 (gate closure, derating, price cap) and the §18 post-trade fields,
 * every one optional (its default where absent). Values are checked here, once, for the route
 * and for anything else that stores a configuration.
 */
export const GateClosureRuleSchema = z.strictObject({
  daysBefore: z
    .number()
    .int()
    .min(1, { message: "must be at least 1: gate closure is before the delivery day (R-IN-1)" })
    .max(7, { message: "must be at most 7" })
    .meta({ description: "Days before the delivery day.", example: 1 }),
  localTime: localTimeField.meta({
    description: "Europe/London wall-clock time on that day, HH:MM.",
    example: "12:00",
  }),
});

export const SchemeConfigSchema = z
  .strictObject({
    gateClosure: GateClosureRuleSchema.optional().meta({
      description: "R-GATE-1 default gate closure. Default: 12:00 local on the day before.",
    }),
    deratingFactor: fractionField
      .refine((v) => v > 0, { message: "must be above 0 (R-ELIG-3)" })
      .optional()
      .meta({
        description: "R-ELIG-3 forecast derating factor k, 0 < k ≤ 1, ≤ 3 decimals. Default 1.0.",
        example: 0.8,
      }),
    priceCapGbp: z
      .number()
      .min(0.01, { message: "must be at least 0.01" })
      .max(MAX_GBP, { message: `must be at most ${MAX_GBP}` })
      .refine((v) => hasAtMostDecimals(v, 2), {
        message: "must have at most 2 decimals (R-UNIT-2)",
      })
      .optional()
      .meta({
        description: "R-ORDER-1 cap on each price component, GBP. Default 10000.",
        example: 100,
      }),
    ...postTradeFields(),
  })
  .superRefine((c, ctx) => floorBelowGraceIssue(c, ctx));

export type SchemeConfigInput = z.infer<typeof SchemeConfigSchema>;

/** The body of `PUT /schemes/{anmSchemeId}`. */
export const SchemeVersionBodySchema = z.strictObject({
  name: z
    .string()
    .min(1, { message: "must not be empty" })
    .max(200, { message: "must be at most 200 characters" })
    .regex(/^[^\p{Cc}]*$/u, { message: "must not contain control characters" })
    .refine((v) => v.trim() !== "", { message: "must not be blank" })
    .meta({ description: "The scheme's name as operators know it.", example: "Ely Grid ANM" }),
  effectiveFrom: calendarDate.meta({
    format: "date",
    description:
      "The first delivery day this version applies to (YYYY-MM-DD); it must be after every day that already has a look-ahead.",
    example: "2027-07-01",
  }),
  config: SchemeConfigSchema.default({}).meta({
    description: "The scheme's settings (§18); every field optional, its default where absent.",
  }),
});

export type SchemeVersionBody = z.infer<typeof SchemeVersionBodySchema>;

/**
 * True when a zod issue of the body is a value rule of the configuration (422
 * `SCHEME_CONFIG_INVALID`) rather than its shape (400): a range, a decimal count, a format or a
 * cross-field rule inside `config`. Wrong types and unknown fields are shape errors.
 */
export function isConfigRuleIssue(issue: z.core.$ZodIssue): boolean {
  return (
    issue.path[0] === "config" &&
    issue.code !== "invalid_type" &&
    issue.code !== "unrecognized_keys"
  );
}
