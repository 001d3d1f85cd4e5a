import * as z from "zod";

export {
  ActualsQuerySchema,
  BaselinesQuerySchema,
  CurtailmentIndexQuerySchema,
  MeterReadingsQuerySchema,
  MeterUploadPathSchema,
  MeterUploadReferenceSchema,
  MeterUploadRequestSchema,
  MonthQuerySchema,
  PostTradeDayQuerySchema,
  SettlementRunRequestSchema,
  StatementQuerySchema,
  settlementRunId,
  statementId,
} from "./post-trade-inputs";

// ── Responses (documentation: every field says what it is, with its unit) ───────────────────

const d = (description: string) => z.string().meta({ description });
const n = (description: string) => z.number().meta({ description });
const int = (description: string) => z.number().int().meta({ description });
const instant = (description: string) =>
  z.string().meta({ description: `${description} (ISO 8601 instant, UTC).`, format: "date-time" });
const day = (description = "The delivery day (Europe/London), YYYY-MM-DD.") =>
  z.string().meta({ description, format: "date" });
const mw = (description: string) => z.number().meta({ description: `${description} MW.` });
const mwh = (description: string) => z.number().meta({ description: `${description} MWh.` });
const gbp = (description: string) =>
  z.number().meta({ description: `${description} GBP, 2 decimals.` });
const flags = z.array(z.string()).meta({ description: "Flags of the rules (R-PERF, §19)." });
const perSp = (description: string) =>
  z.array(z.number().nullable()).meta({ description: `${description}, one value per SP.` });
const page = <T extends z.ZodType>(item: T, id: string, description: string) =>
  z
    .object({
      items: z.array(item).meta({ description }),
      nextToken: d("Present when more items follow: pass it to get the next page.").optional(),
    })
    .meta({ id, description });

export const ActualsReceiptSchema = z
  .object({
    actualsId: d("The post's id (idempotent within the scheme)."),
    receivedAt: instant("When it was first received"),
    constraints: int("Constraint items it held."),
    entries: int("Available-power items it held."),
  })
  .meta({ id: "ActualsReceipt", description: "Accepted ANM actuals (R-PERF-1)." });

const from = {
  actualsId: d("The post the values came from."),
  receivedAt: instant("When that post was received"),
};

export const ActualsHeldSchema = z
  .object({
    anmSchemeId: d("The ANM scheme."),
    deliveryDate: day(),
    constraints: z
      .array(
        z
          .object({
            constraintId: d("The constraint."),
            requiredCurtailmentMw: perSp("Required curtailment, MW"),
            appliedCurtailment: z
              .array(
                z
                  .object({
                    unitId: d("A published unit (entry, `<parent>/<tradeId>` or `<parent>/rem`)."),
                    curtailmentMw: perSp("Curtailment applied to the unit, MW"),
                  })
                  .meta({ description: "Curtailment applied to one unit." }),
              )
              .optional()
              .meta({ description: "Per-unit values, when the ANM reported them." }),
            ...from,
          })
          .meta({ description: "A constraint's latest values." }),
      )
      .meta({ description: "Per constraint, the item of the latest post." }),
    availablePower: z
      .array(
        z
          .object({
            entryId: d("The MOL entry."),
            availableMw: perSp("Available power, MW"),
            ...from,
          })
          .meta({ description: "An entry's latest available power." }),
      )
      .meta({ description: "Per entry, the item of the latest post." }),
  })
  .meta({ id: "ActualsHeld", description: "The ANM actuals held for a scheme-day (R-PERF-1)." });

export const MeterUploadAnswerSchema = z
  .object({
    uploadId: d("The upload's id."),
    receivedAt: instant("When it was received"),
    readingCount: int("Readings it held (SPs with a value)."),
    days: z
      .array(
        z
          .object({
            anmSchemeId: d("The ANM scheme."),
            entryId: d("The MOL entry."),
            deliveryDate: day(),
            direction: d("export or import."),
            readings: int("Readings of this day and direction."),
            countsForSettlement: z.boolean().meta({
              description:
                "False when received after the day's meter deadline (a participant's upload).",
            }),
          })
          .meta({ description: "One entry's day and direction." }),
      )
      .meta({ description: "The days the upload held." }),
  })
  .meta({ id: "MeterUploadAnswer", description: "An accepted meter upload (R-PERF-2)." });

export const MeterUploadSessionSchema = z
  .object({
    uploadId: d("Submit the file with POST /meter-readings { uploadId } once uploaded."),
    method: d("The HTTP method to upload with (PUT)."),
    uploadUrl: d("The pre-signed URL to PUT the file to."),
    headers: z
      .record(z.string(), z.string())
      .meta({ description: "Headers the PUT must carry exactly (content-type, content-length)." }),
    expiresAt: instant("When the URL stops working"),
  })
  .meta({ id: "MeterUploadSession", description: "Where to put a meter file over 1 MiB." });

/** POST /meter-readings { uploadId } while the file is processed (D-232). */
export const MeterUploadProcessingSchema = z
  .object({
    uploadId: d("The upload's id."),
    status: z.literal("processing").meta({
      description:
        "The file is in the bucket and being checked and stored; ask again (or GET /meter-uploads/{uploadId}) until it is accepted (201), refused (4xx) or failed (409 UPLOAD_FAILED).",
    }),
  })
  .meta({ id: "MeterUploadProcessing", description: "A pre-signed upload still being processed." });

/** GET /meter-uploads/{uploadId}: the session and where its file is (D-232). */
export const MeterUploadStatusSchema = z
  .object({
    uploadId: d("The upload's id."),
    status: z.enum(["awaiting-file", "processing", "accepted", "refused", "failed"]).meta({
      description:
        "awaiting-file: nothing was put to the URL yet; processing: the file is being checked and stored; accepted: stored (see result); refused: nothing stored (see problem); failed: every attempt to process the file failed on a fault of the platform, none of it counts — upload it again with a new upload (problem.code UPLOAD_FAILED).",
    }),
    contentType: d("The media type the URL was signed for."),
    contentLength: int("The exact size in bytes the URL was signed for."),
    createdAt: instant("When the upload URL was issued"),
    expiresAt: instant("When the upload URL stops working"),
    processedAt: instant("When the file was received and its outcome recorded").optional(),
    result: MeterUploadAnswerSchema.optional().meta({
      description: "accepted: the answer POST /meter-readings { uploadId } gives (201).",
    }),
    problem: z
      .object({
        code: d(
          "refused: the error code a body of this type would have had (METER_READINGS_INVALID, VALIDATION_FAILED, MALFORMED_JSON); failed: UPLOAD_FAILED.",
        ),
        detail: d("What was wrong."),
        errors: z
          .array(
            z
              .object({
                path: d("Where (`line <n>.<column>` or a JSON path)."),
                message: d("Why."),
              })
              .meta({ description: "One field problem." }),
          )
          .meta({ description: "At most 100 field problems (D-221)." }),
      })
      .optional()
      .meta({
        description:
          "refused or failed: the problem POST /meter-readings { uploadId } answers (failed: 409 UPLOAD_FAILED, no field problems).",
      }),
  })
  .meta({ id: "MeterUploadStatus", description: "A pre-signed meter upload and its outcome." });

export const MeterReadingsSchema = z
  .object({
    items: z
      .array(
        z
          .object({
            anmSchemeId: d("The ANM scheme."),
            entryId: d("The MOL entry."),
            deliveryDate: day(),
            direction: d("export or import."),
            readings: z
              .array(
                z
                  .object({
                    sp: int("Settlement period, 1…n."),
                    start: instant("The SP's start"),
                    kw: n("Average power, kW."),
                    receivedAt: instant("When the upload that counts was received"),
                    uploadId: d("The upload the reading came from."),
                  })
                  .meta({ description: "The reading that counts in one SP." }),
              )
              .meta({ description: "SPs with a counting reading." }),
          })
          .meta({ description: "One scheme and direction." }),
      )
      .meta({ description: "Per scheme and direction." }),
  })
  .meta({ id: "MeterReadings", description: "The readings that count (R-PERF-2)." });

export const NominationSchema = z
  .object({
    anmSchemeId: d("The ANM scheme."),
    entryId: d("The MOL entry."),
    deliveryDate: day(),
    nominatedMw: perSp("Nominated output, MW"),
    receivedAt: instant("When it was received"),
    version: int("The nomination's version for the day, from 1."),
  })
  .meta({ id: "Nomination", description: "A day's nomination as held (R-PERF-3)." });

export const BaselineSchema = z
  .object({
    anmSchemeId: d("The ANM scheme."),
    entryId: d("The MOL entry."),
    deliveryDate: day(),
    method: d("nomination-capped or mid-x-of-y."),
    nominatedMw: perSp("The nomination, MW").optional(),
    receivedAt: instant("When the nomination was received").optional(),
    baselineKw: perSp("Baseline kW (4 decimals), null where none"),
    adjustments: z
      .array(
        z
          .object({
            marketId: d("The market whose window is adjusted."),
            windowStart: instant("The window's start"),
            adjustmentKw: n("Additive adjustment, kW."),
          })
          .meta({ description: "One additive adjustment (R-PERF-5)." }),
      )
      .optional()
      .meta({ description: "Mid-X-of-Y only: one per market window." }),
    flags,
  })
  .meta({ id: "Baseline", description: "An entry's baseline of a day (R-PERF-3..5)." });
export const BaselinePageSchema = page(
  BaselineSchema,
  "BaselinePage",
  "Baselines, by scheme and entry.",
);

const period = z
  .object({
    sp: int("Settlement period, 1…n."),
    start: instant("The SP's start"),
    inTest: z.boolean().meta({ description: "Whether the SP is in the trade's test (R-PERF-8)." }),
    expectedMw: mw("Expected turn-down"),
    deliveredMw: mw("Delivered turn-down"),
    baselineMw: z
      .number()
      .nullable()
      .optional()
      .meta({ description: "Baseline (seller's view only), MW; null where none." }),
    meteredMw: z
      .number()
      .nullable()
      .optional()
      .meta({ description: "Metered output (seller's view only), MW; null where none." }),
    turnDownMw: mw("Baseline − metered (seller's view only)").optional(),
    flags,
  })
  .meta({ description: "One valid SP of the trade." });

export const PerformanceSchema = z
  .object({
    tradeId: d("The trade."),
    marketId: d("Its market."),
    constraintId: d("Its constraint."),
    role: d("buyer or seller."),
    status: d("confirmed or cancelled."),
    entryId: d("The role's entry."),
    counterpartyEntryId: d("The other side's entry."),
    provisional: z.boolean().meta({ description: "True while inputs may still change." }),
    baselineMethod: d("How the seller's baseline is set."),
    validSps: z.array(z.number().int()).meta({ description: "SPs the trade is valid in." }),
    testSps: z.array(z.number().int()).meta({ description: "SPs of the performance test." }),
    periods: z.array(period).meta({ description: "Per valid SP." }),
    expectedMwh: mwh("Expected energy"),
    deliveredMwh: mwh("Delivered energy"),
    performanceRatio: z.number().nullable().meta({
      description: "Delivered ÷ expected over the test, 6 decimals; null without a test.",
    }),
    performanceMultiplier: n("R-SETTLE-3 multiplier, 6 decimals."),
    thirdPartyImpactMwh: mwh("Extra curtailment of others attributed to the trade"),
    flags,
  })
  .meta({ id: "Performance", description: "A trade's performance in one role (R-PERF)." });
export const PerformancePageSchema = page(
  PerformanceSchema,
  "PerformancePage",
  "By delivery day, trade and role.",
);

export const ThirdPartyImpactSchema = z
  .object({
    anmSchemeId: d("The ANM scheme."),
    constraintId: d("The constraint."),
    sp: int("Settlement period."),
    start: instant("The SP's start"),
    entryId: d("The entry curtailed more."),
    extraMw: mw("Extra curtailment"),
    extraMwh: mwh("Extra curtailment energy"),
    attributedTo: z
      .array(
        z
          .object({ tradeId: d("The trade."), mwh: mwh("Its share") })
          .meta({ description: "A trade's share." }),
      )
      .meta({ description: "Shares by trade (R-PERF-10)." }),
  })
  .meta({ id: "ThirdPartyImpact", description: "Extra curtailment of a third party (R-PERF-10)." });
export const ThirdPartyImpactPageSchema = page(
  ThirdPartyImpactSchema,
  "ThirdPartyImpactPage",
  "By start, scheme, constraint and entry.",
);

const runStatement = z
  .object({
    statementId: d("The statement."),
    participantId: d("Its participant."),
    version: int("Its version as of this run."),
    changed: z.boolean().meta({ description: "Whether this run issued that version." }),
  })
  .meta({ description: "A participant's statement as of the run." });

export const SettlementRunSchema = z
  .object({
    settlementRunId: d("The run."),
    month: d("The month settled, YYYY-MM."),
    status: d("running, completed or failed."),
    startedAt: instant("When it started (inputs held then count)"),
    finishedAt: instant("When it completed (the statements' issuedAt)").optional(),
    statements: z.array(runStatement).meta({ description: "Completed runs: every statement." }),
    failure: z
      .object({
        step: d("The step that failed."),
        error: d("The error's name."),
        cause: d("What went wrong."),
      })
      .optional()
      .meta({ description: "Failed runs: why. A failed run issues nothing." }),
  })
  .meta({ id: "SettlementRun", description: "A settlement run (R-SETTLE-7)." });
export const SettlementRunPageSchema = page(
  SettlementRunSchema,
  "SettlementRunPage",
  "The month's runs, oldest first.",
);

const statementFields = {
  statementId: d("The statement (one per participant and month)."),
  participantId: d("Its participant."),
  month: d("The month, YYYY-MM."),
  version: int("The version, from 1."),
  issuedAt: instant("When the version was issued"),
  settlementRunId: d("The run that issued it."),
  payableGbp: gbp("What the participant pays:"),
  receivableGbp: gbp("What it receives:"),
  netGbp: gbp("Receivable − payable:"),
  lineCount: int("Lines of the version."),
};
export const StatementSchema = z
  .object(statementFields)
  .meta({ id: "Statement", description: "A statement version (R-SETTLE-5)." });
export const StatementPageSchema = page(
  StatementSchema,
  "StatementPage",
  "The latest version of each statement.",
);

const line = z
  .object({
    statementId: d("The statement."),
    version: int("Its version."),
    month: d("The month, YYYY-MM."),
    participantId: d("The participant."),
    tradeId: d("The trade."),
    role: d("buyer, seller, compensation-payer or compensation-payee."),
    deliveryDate: day(),
    marketId: d("The market."),
    constraintId: d("The constraint."),
    entryId: d("The participant's entry."),
    counterpartyEntryId: d("The other side's entry."),
    status: d("confirmed or cancelled."),
    quantityMw: mw("Traded quantity"),
    availabilityPrice: n("Availability price, £/MW/h."),
    utilisationPrice: n("Utilisation price, £/MWh."),
    validHours: n("Hours the trade was valid."),
    expectedMwh: mwh("Expected energy"),
    deliveredMwh: mwh("Delivered energy"),
    performanceRatio: z
      .number()
      .nullable()
      .meta({ description: "Delivered ÷ expected; null without a test." }),
    performanceMultiplier: z
      .number()
      .nullable()
      .meta({ description: "R-SETTLE-3 multiplier; null for compensation lines." }),
    availabilityGbp: gbp("Availability payment:"),
    utilisationGbp: gbp("Utilisation payment:"),
    totalGbp: gbp("Line total:"),
    thirdPartyImpactMwh: mwh("Third-party impact"),
    flags,
  })
  .meta({ description: "A statement line (R-SETTLE-8 columns)." });

export const StatementDetailSchema = z
  .object({
    ...statementFields,
    lines: z.array(line).meta({ description: "In R-SETTLE-8 order." }),
  })
  .meta({ id: "StatementDetail", description: "A statement version with its lines." });

export const CurtailmentIndexRowSchema = z
  .object({
    entryId: d("The MOL entry."),
    anmSchemeId: d("The ANM scheme."),
    financialYear: d("The financial year, e.g. 2027-28."),
    from: day("The year's first day."),
    to: day("The year's last day."),
    networkCurtailmentMwh: mwh("Curtailment the network asked of the entry"),
    tradedCurtailmentMwh: mwh("Curtailment it delivered for others by trades"),
    avoidedCurtailmentMwh: mwh("Curtailment it avoided by buying"),
    physicalCurtailmentMwh: mwh("Curtailment it physically took"),
    thirdPartyImpactMwh: mwh("Extra curtailment from others' shortfalls"),
    days: int("Days counted."),
    estimatedDays: int("Days counted from estimates (no actuals)."),
    asOf: instant("When the row was computed"),
  })
  .meta({ id: "CurtailmentIndexRow", description: "An entry's Curtailment Index (R-CI)." });
export const CurtailmentIndexPageSchema = page(
  CurtailmentIndexRowSchema,
  "CurtailmentIndexPage",
  "By scheme and entry.",
);
