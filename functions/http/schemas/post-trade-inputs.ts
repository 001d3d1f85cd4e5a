import * as z from "zod";
import { financialYearBounds, isMonth } from "../../core/model/calendar";
import { calendarDate, clientId } from "../../core/model/fields";
import { limitParameter, nextTokenParameter, platformId } from "./fields";

/**
 * The post-trade route inputs the handlers parse (query, path and body schemas), apart from the
 * response schemas of `./post-trade.ts`, which only the OpenAPI document builds: a handler's bundle
 * builds these alone on its cold start (D-299). `./post-trade.ts` re-exports them.
 */

/**
 * Query and body schemas of the routes after delivery (docs/api.md "ANM interface" actuals,
 * "Participants' data", "Settlement", "Curtailment Index"). Queries are strict: an unknown
 * parameter is 400 with its name as the path.
 */

const paging = {
  limit: limitParameter.meta({ description: "Items per page, 1–100; default 100." }),
  nextToken: nextTokenParameter.meta({
    description:
      "The nextToken of the previous page of the same list (same other parameters); absent on the last page.",
  }),
};

const DELIVERY_DATE = {
  description: "The delivery day, a calendar date in Europe/London (YYYY-MM-DD).",
  format: "date",
  examples: ["2027-06-14"],
};

const month = z
  .string()
  .refine(isMonth, { message: "must be a month YYYY-MM" })
  .meta({ description: "A calendar month, YYYY-MM (Europe/London).", example: "2027-06" });

/** GET /anm/actuals: one scheme-day. */
export const ActualsQuerySchema = z.strictObject({
  anmSchemeId: clientId.meta({ description: "The ANM scheme." }),
  deliveryDate: calendarDate.meta(DELIVERY_DATE),
});

/** GET /meter-readings: one entry's readings of a day, one direction or both. */
export const MeterReadingsQuerySchema = z.strictObject({
  entryId: clientId.meta({ description: "The MOL entry (a participant: its own)." }),
  deliveryDate: calendarDate.meta(DELIVERY_DATE),
  direction: z
    .enum(["export", "import"])
    .optional()
    .meta({ description: "Only this direction; default both." }),
});

/** GET /baselines: the day's baselines, of one entry or of every entry that sells or nominates. */
export const BaselinesQuerySchema = z.strictObject({
  deliveryDate: calendarDate.meta(DELIVERY_DATE),
  entryId: clientId
    .optional()
    .meta({ description: "Only this entry (a participant: its own; another's is 404)." }),
  ...paging,
});

/** GET /performance, GET /third-party-impacts: one delivery day, a page at a time. */
export const PostTradeDayQuerySchema = z.strictObject({
  deliveryDate: calendarDate.meta(DELIVERY_DATE),
  ...paging,
});

/** GET /settlement-runs, GET /statements: one month, a page at a time. */
export const MonthQuerySchema = z.strictObject({ month, ...paging });

/** POST /settlement-runs. */
export const SettlementRunRequestSchema = z.strictObject({ month }).meta({
  id: "SettlementRunRequest",
  description:
    "The month to settle (R-SETTLE-7): once 00:00 local on the 6th of the next month has passed.",
});

/** A settlement run's id (derived from its month and start). */
export const settlementRunId = platformId("srun");

/** A statement's id (derived from its participant and month). */
export const statementId = platformId("stm");

/** GET /statements/{id}: a version (default the latest). */
export const StatementQuerySchema = z.strictObject({
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,5}$/, { message: "must be a positive integer" })
    .transform(Number)
    .optional()
    .meta({ description: "The version to read; default the latest issued." }),
});

/** GET /curtailment-index. */
export const CurtailmentIndexQuerySchema = z.strictObject({
  financialYear: z
    .string()
    .refine((v) => financialYearBounds(v) !== undefined, {
      message: "must be a financial year YYYY-YY with consecutive years, e.g. 2027-28",
    })
    .meta({ description: "The financial year (1 April – 31 March), e.g. 2027-28." }),
  entryId: clientId
    .optional()
    .meta({ description: "Only this entry (a participant: its own; another's is 404)." }),
  ...paging,
});

/** POST /meter-uploads: what the file will be. */
export const MeterUploadRequestSchema = z
  .strictObject({
    contentType: z.enum(["text/csv", "application/json"]).meta({
      description: "The file's media type; the upload URL accepts only this type.",
    }),
    contentLength: z
      .number()
      .int()
      .min(1)
      .max(100 * 1024 * 1024, { message: "must be at most 104857600 (100 MiB)" })
      .meta({ description: "The file's exact size in bytes (at most 100 MiB)." }),
  })
  .meta({ id: "MeterUploadRequest" });

/** POST /meter-readings with an uploaded file: its upload id. */
export const MeterUploadReferenceSchema = z
  .strictObject({
    uploadId: platformId("mup").meta({
      description: "The id POST /meter-uploads gave, once the file was put to its URL.",
    }),
  })
  .meta({ id: "MeterUploadReference" });

/** GET /meter-uploads/{uploadId}: the path. */
export const MeterUploadPathSchema = z.object({
  uploadId: platformId("mup").meta({ description: "The id POST /meter-uploads gave." }),
});
