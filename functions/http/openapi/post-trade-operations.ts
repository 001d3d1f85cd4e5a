import * as z from "zod";
import { ActualsBodySchema } from "../../core/performance/actuals";
import { METER_CSV_HEADER, MeterReadingsBodySchema } from "../../core/performance/meter-readings";
import { NominationBodySchema } from "../../core/performance/nominations";
import {
  ActualsHeldSchema,
  ActualsQuerySchema,
  ActualsReceiptSchema,
  BaselinePageSchema,
  BaselinesQuerySchema,
  CurtailmentIndexPageSchema,
  CurtailmentIndexQuerySchema,
  MeterReadingsQuerySchema,
  MeterReadingsSchema,
  MeterUploadAnswerSchema,
  MeterUploadPathSchema,
  MeterUploadProcessingSchema,
  MeterUploadReferenceSchema,
  MeterUploadRequestSchema,
  MeterUploadSessionSchema,
  MeterUploadStatusSchema,
  MonthQuerySchema,
  NominationSchema,
  PerformancePageSchema,
  PostTradeDayQuerySchema,
  SettlementRunPageSchema,
  SettlementRunRequestSchema,
  SettlementRunSchema,
  StatementDetailSchema,
  StatementPageSchema,
  StatementQuerySchema,
  ThirdPartyImpactPageSchema,
} from "../schemas/post-trade";
import type { RouteContract } from "./operations";

const ok = (description: string, schema: z.ZodType, status = "200") => ({
  [status]: { description, content: { "application/json": { schema } } },
});
const body = (schema: z.ZodType, example: unknown) => ({
  required: true,
  content: { "application/json": { schema, example } },
});
const path = (name: string, description: string) =>
  z.object({ [name]: z.string().meta({ description }) });
const idempotencyKey = z.object({
  "idempotency-key": z.string().max(255).optional().meta({
    description:
      "Optional. The same key (per caller) with the same body replays the first response; with another body 422 IDEMPOTENCY_KEY_REUSED.",
  }),
});

/** One value per SP of a 48-period day, from the SP number (1…48). */
const perSp = (value: (sp: number) => number) => Array.from({ length: 48 }, (_, i) => value(i + 1));
const inWindow = (sp: number, values: number[]) => (sp >= 25 && sp <= 28 ? values[sp - 25]! : 0);

const SCHEME = "ENWL-ANM-01";
const DAY = "2027-06-14";

/** The documented contract of the routes after delivery. */
export const POST_TRADE_OPERATIONS = {
  PostActuals: {
    summary:
      "Post what happened on a delivery day: required curtailment, per-unit values, available power (R-PERF-1)",
    tags: ["ANM interface"],
    requestParams: { header: idempotencyKey },
    requestBody: body(ActualsBodySchema, {
      actualsId: "ACT-2027-06-14-1",
      anmSchemeId: SCHEME,
      deliveryDate: DAY,
      constraints: [
        { constraintId: "C1", requiredCurtailmentMw: perSp((sp) => inWindow(sp, [4, 7, 7, 4])) },
      ],
      availablePower: [{ entryId: "G5-A", availableMw: perSp(() => 3) }],
    }),
    responses: ok("Accepted (or the first receipt of the same post).", ActualsReceiptSchema, "202"),
    errors: ["ACTUALS_INVALID", "ACTUALS_CONFLICT", "DELIVERY_DAY_NOT_ENDED", "NOT_FOUND"],
  },
  GetActuals: {
    summary: "The ANM actuals held for a scheme-day, each item with the post it came from",
    tags: ["ANM interface"],
    requestParams: { query: ActualsQuerySchema },
    responses: ok("The values held.", ActualsHeldSchema),
    errors: ["NOT_FOUND"],
  },
  CreateMeterUpload: {
    summary: "A pre-signed URL for a meter file over the API's 1 MiB body limit (up to 100 MiB)",
    tags: ["Participants' data"],
    requestParams: { header: idempotencyKey },
    requestBody: body(MeterUploadRequestSchema, {
      contentType: "text/csv",
      contentLength: 52_000_000,
    }),
    responses: ok(
      "PUT the file to `uploadUrl` with `headers`, then POST /meter-readings { uploadId }.",
      MeterUploadSessionSchema,
      "201",
    ),
  },
  SubmitMeterReadings: {
    summary:
      "Submit meter readings as JSON, as text/csv, or a pre-signed upload by its id (R-PERF-2)",
    description: `\`text/csv\`: RFC 4180, UTF-8, header row exactly \`${METER_CSV_HEADER}\`; \`unit\` kW (average) or kWh; values ≥ 0 with at most 3 decimals. CSV problems are 400 VALIDATION_FAILED with paths \`line <n>.<column>\`. Other content types: 415.`,
    tags: ["Participants' data"],
    requestParams: { header: idempotencyKey },
    requestBody: {
      required: true,
      content: {
        "application/json": {
          schema: z.union([MeterReadingsBodySchema, MeterUploadReferenceSchema]),
          example: {
            readings: [
              {
                anmSchemeId: SCHEME,
                entryId: "G5-A",
                deliveryDate: DAY,
                direction: "export",
                unit: "kW",
                values: perSp((sp) => (sp >= 25 && sp <= 28 ? 0 : 3000)),
              },
            ],
          },
        },
        "text/csv": {
          schema: z.string().meta({ description: "The meter CSV." }),
          example: `${METER_CSV_HEADER}\r\n${SCHEME},G1-A,${DAY},1,export,kWh,4000\r\n`,
        },
      },
    },
    responses: {
      ...ok(
        "Stored; each day says whether it counts for settlement (an upload: once its file was accepted, the same answer every time).",
        MeterUploadAnswerSchema,
        "201",
      ),
      ...ok(
        "`{ uploadId }` only: the file is in the bucket and still being checked and stored (D-232). Ask again, or GET /meter-uploads/{uploadId}, until it answers 201, the 4xx of its refusal, or 409 UPLOAD_FAILED when every attempt to process it failed (D-233).",
        MeterUploadProcessingSchema,
        "202",
      ),
    },
    errors: ["METER_READINGS_INVALID", "NOT_FOUND", "UPLOAD_NOT_RECEIVED", "UPLOAD_FAILED"],
  },
  GetMeterUpload: {
    summary:
      "A pre-signed meter upload: awaiting its file, processing, accepted, refused or failed",
    description:
      "The file put to the upload URL is processed when it lands in the bucket (D-232); this shows where it is. Accepted: `result` is the answer of POST /meter-readings { uploadId }; refused: `problem` is its 4xx (nothing stored); failed: every processing attempt failed on a fault of the platform (D-233), `problem` is `UPLOAD_FAILED` and the file must be uploaded again with a new upload. Its owner, or the operator.",
    tags: ["Participants' data"],
    requestParams: { path: MeterUploadPathSchema },
    responses: ok("The upload and its outcome.", MeterUploadStatusSchema),
    errors: ["NOT_FOUND"],
  },
  ListMeterReadings: {
    summary: "The readings that count for an entry's day, per SP with the upload they came from",
    tags: ["Participants' data"],
    requestParams: { query: MeterReadingsQuerySchema },
    responses: ok("Per scheme and direction.", MeterReadingsSchema),
    errors: ["NOT_FOUND"],
  },
  PutBaseline: {
    summary: "Nominate an own entry's output for a day, before the baseline deadline (R-PERF-3)",
    tags: ["Participants' data"],
    requestParams: { header: idempotencyKey },
    requestBody: body(NominationBodySchema, {
      anmSchemeId: SCHEME,
      entryId: "G5-A",
      deliveryDate: DAY,
      nominatedMw: perSp(() => 3),
    }),
    responses: ok("The nomination held, with its version.", NominationSchema),
    errors: ["NOT_FOUND", "BASELINE_DEADLINE_PASSED", "BASELINE_INVALID"],
  },
  ListBaselines: {
    summary: "Baselines of a day: nomination-capped or mid-X-of-Y with adjustments (R-PERF-3..5)",
    tags: ["Participants' data"],
    requestParams: { query: BaselinesQuerySchema },
    responses: ok("A page of baselines.", BaselinePageSchema),
    errors: ["NOT_FOUND"],
  },
  ListPerformance: {
    summary: "What each trade delivered, per trade and role (R-PERF)",
    tags: ["Participants' data"],
    requestParams: { query: PostTradeDayQuerySchema },
    responses: ok(
      "A page of performance items; the buyer's omit the seller's data.",
      PerformancePageSchema,
    ),
  },
  ListThirdPartyImpacts: {
    summary: "Extra curtailment of third parties caused by sellers' shortfalls (R-PERF-10)",
    tags: ["Participants' data"],
    requestParams: { query: PostTradeDayQuerySchema },
    responses: ok("A page of impacts.", ThirdPartyImpactPageSchema),
  },
  StartSettlementRun: {
    summary: "Start the month's settlement run (R-SETTLE-7)",
    tags: ["Settlement"],
    requestParams: { header: idempotencyKey },
    requestBody: body(SettlementRunRequestSchema, { month: "2027-06" }),
    responses: ok("The run, running.", SettlementRunSchema, "202"),
    errors: ["MONTH_NOT_SETTLEABLE", "SETTLEMENT_RUN_IN_PROGRESS"],
  },
  ListSettlementRuns: {
    summary: "A month's settlement runs, oldest first",
    tags: ["Settlement"],
    requestParams: { query: MonthQuerySchema },
    responses: ok("A page of runs.", SettlementRunPageSchema),
  },
  GetSettlementRun: {
    summary: "A settlement run: its status, the statements it left, or why it failed",
    tags: ["Settlement"],
    requestParams: { path: path("settlementRunId", "The run's id.") },
    responses: ok("The run.", SettlementRunSchema),
  },
  ListStatements: {
    summary: "The month's statements, the latest version of each (R-SETTLE-5)",
    tags: ["Settlement"],
    requestParams: { query: MonthQuerySchema },
    responses: ok("A page of statements.", StatementPageSchema),
  },
  GetStatement: {
    summary: "A statement version with its lines, as JSON or as the R-SETTLE-8 CSV",
    description:
      "`Accept: application/json` (default) or `text/csv` (a download; cells that begin with =, +, -, @ are guarded against formula injection, numbers are not). Other `Accept`: 406.",
    tags: ["Settlement"],
    requestParams: {
      path: path("statementId", "The statement's id."),
      query: StatementQuerySchema,
    },
    responses: {
      "200": {
        description: "The version asked for (default the latest).",
        content: {
          "application/json": { schema: StatementDetailSchema },
          "text/csv": { schema: z.string().meta({ description: "The R-SETTLE-8 CSV." }) },
        },
      },
    },
    errors: ["NOT_ACCEPTABLE"],
  },
  GetCurtailmentIndex: {
    summary: "The Curtailment Index of a financial year so far, per entry (R-CI)",
    tags: ["Curtailment Index"],
    requestParams: { query: CurtailmentIndexQuerySchema },
    responses: ok("A page of rows.", CurtailmentIndexPageSchema),
    errors: ["NOT_FOUND"],
  },
} satisfies Record<string, RouteContract>;
