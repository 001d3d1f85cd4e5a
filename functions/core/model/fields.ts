import * as z from "zod";
import { localMidnight, parseInstant } from "./settlement-periods";
import { hasAtMostDecimals, MAX_GBP, MAX_MW } from "./units";

/**
 * Field schemas shared by every input of the core (look-ahead, orders, scenarios) and, through
 * them, by the API. Each message names the rule it enforces.
 */

/** A power in MW: a finite number with at most 3 decimals (R-UNIT-1). Sign is checked by rules. */
export const mwNumber = z
  .number()
  .refine((v) => Math.abs(v) <= MAX_MW, { message: `must be at most ${MAX_MW} MW` })
  .refine((v) => hasAtMostDecimals(v, 3), { message: "must have at most 3 decimals (R-UNIT-1)" });

/** A price in GBP: finite, ≥ 0, at most 2 decimals (R-UNIT-2, R-ORDER-1). */
export const gbpPrice = z
  .number()
  .min(0, { message: "must be ≥ 0 (R-ORDER-1)" })
  .max(MAX_GBP, { message: `must be at most ${MAX_GBP}` })
  .refine((v) => hasAtMostDecimals(v, 2), { message: "must have at most 2 decimals (R-UNIT-2)" });

/** An ISO 8601 instant with an explicit offset (R-TIME-2). */
export const instant = z.string().refine((v) => parseInstant(v) !== undefined, {
  message: "must be an ISO 8601 instant with an offset, e.g. 2027-06-13T12:00:00+01:00 (R-TIME-2)",
});

/** A delivery day `YYYY-MM-DD` that exists in the calendar (R-TIME-1). */
export const calendarDate = z.string().refine((v) => localMidnight(v) !== undefined, {
  message: "must be a calendar date YYYY-MM-DD",
});

/** An identifier chosen by a client: printable, no slash (slashes separate slice ids). */
export const clientId = z
  .string()
  .min(1, { message: "must not be empty" })
  .max(128, { message: "must be at most 128 characters" })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@+-]*$/, {
    message: "may contain letters, digits and . _ : @ + - only, starting with a letter or digit",
  });
