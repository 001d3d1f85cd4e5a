import * as z from "zod";

export {
  CyclesQuerySchema,
  DeliveryDateQuerySchema,
  MeritOrderQuerySchema,
  OrdersQuerySchema,
} from "./market-inputs";

/**
 * Schemas of the day-ahead market routes (api.md "ANM interface", "Trading", "Operations"):
 * queries are strict (unknown parameters are refused), responses document what is returned.
 */

/** Documentation helpers: each field's meaning, with its unit. */
const mw = (description: string) =>
  z.number().meta({ description: `${description} MW, at most 3 decimals.` });
const mwPerSp = (description: string) =>
  z.array(z.number()).meta({
    description: `${description} MW (at most 3 decimals), one value per SP ${"of the window"}.`,
  });
const gbpPerMwH = (description: string) =>
  z.number().meta({ description: `${description} £/MW/h (availability), at most 2 decimals.` });
const gbpPerMwh = (description: string) =>
  z.number().meta({ description: `${description} £/MWh (utilisation), at most 2 decimals.` });
const instant = (description: string) =>
  z.string().meta({ description: `${description} (ISO 8601 instant, UTC).`, format: "date-time" });
const id = (description: string) => z.string().meta({ description });
const day = z.string().meta({
  description: "The delivery day (Europe/London), YYYY-MM-DD.",
  format: "date",
});

export const CycleAcceptedSchema = z
  .object({
    cycleId: id("The day-ahead cycle the look-ahead started (or the original one on a replay)."),
    status: id("The cycle's status (see Cycle)."),
  })
  .meta({
    id: "CycleAccepted",
    description: "The cycle the look-ahead started (or the original one on a replay).",
  });

const marketDepth = z
  .object({
    buyMw: mw("Σ max quantity of every buyer's opportunity in the market:"),
    sellMw: mw("Σ max quantity of every seller's opportunity in the market:"),
  })
  .meta({ description: "Market depth (R-ELIG-6, D-9)." });

export const MarketSchema = z
  .object({
    marketId: id("The market: one constraint event of one delivery day (R-EVENT-2, D-1)."),
    anmSchemeId: id("The ANM scheme."),
    deliveryDate: day,
    constraintId: id("The constraint whose event the market trades."),
    windowStart: instant("Start of the event's window, the first SP with required curtailment"),
    windowEnd: instant("End of the window (exclusive)"),
    constraintSizeMw: mw("The event's size, its peak required curtailment:"),
    energyMwh: z.number().meta({
      description: "The event's energy, Σ required curtailment × 0.5 h, in MWh.",
    }),
    gateClosureAt: instant("The day's gate closure; no order is accepted at or after it"),
    marketDepth,
    status: z.enum(["pending", "open", "closed", "matched", "cancelled"]).meta({
      description:
        "pending (derived, not yet open), open (taking orders), closed (gate closure passed), matched, cancelled (superseded look-ahead).",
    }),
    result: z
      .object({
        tradeCount: z.number().int().meta({ description: "How many trades matching made." }),
        tradedMw: mw("Σ traded quantity:"),
      })
      .optional()
      .meta({ description: "After matching: its outcome." }),
    vetoed: z
      .literal(true)
      .optional()
      .meta({ description: "Present once the DNO vetoed the market (R-VERIFY-8)." }),
    vetoedAt: instant("When the market was vetoed").optional(),
  })
  .meta({ id: "Market" });

export const OpportunitySchema = z
  .object({
    opportunityId: id("The opportunity: one (market, entry, side) (R-ELIG-6)."),
    marketId: id("The market it is in."),
    constraintId: id("The market's constraint."),
    entryId: id("The caller's MOL entry."),
    assetId: id("The caller's qualified asset that claims the entry."),
    side: z.enum(["buy", "sell"]).meta({
      description:
        "buy: the entry is forecast to be curtailed in the window (R-ELIG-2); sell: it is not, and produces throughout (R-ELIG-3).",
    }),
    windowStart: instant("Start of the market's window"),
    windowEnd: instant("End of the market's window (exclusive)"),
    constraintSizeMw: mw("The event's peak required curtailment:"),
    predictedCurtailmentMw: mwPerSp("The entry's predicted curtailment (R-ALLOC-1),"),
    curtailmentOrder: z.number().int().meta({
      description: "The entry's position in the MOL (1 = curtailed first).",
    }),
    mwAhead: mw(
      "Σ forecast of the entries curtailed before this one, at the event's peak SP (D-8):",
    ),
    maxQuantityMw: mw("The most the entry may buy or sell in the market (R-ELIG-2/3):"),
    marketDepth,
    sharedConstraintIds: z.array(z.string()).meta({
      description:
        "Other constraints whose overlapping events hold the entry (R-ELIG-5); a counterparty must share exactly these.",
    }),
    gateClosureAt: instant("The day's gate closure"),
  })
  .meta({ id: "Opportunity" });

export const OrderSchema = z
  .object({
    orderId: id("The order."),
    marketId: id("Its market."),
    entryId: id("The caller's entry it trades."),
    side: z.enum(["buy", "sell"]).meta({ description: "buy: a bid; sell: an offer." }),
    quantityMw: mw("Quantity:"),
    availabilityPrice: gbpPerMwH("Availability price,"),
    utilisationPrice: gbpPerMwh("Utilisation price,"),
    serviceType: z.enum(["generation-turn-down", "demand-turn-up"]).optional().meta({
      description: "An offer's service (R-ORDER-1); bids have none.",
    }),
    status: z.enum(["open", "withdrawn", "cancelled", "matched", "unmatched"]).meta({
      description:
        "open until gate closure; withdrawn by its owner; cancelled by a superseding look-ahead; matched (see filledMw) or unmatched after matching (D-27).",
    }),
    submittedAt: instant(
      "Its time priority (R-MATCH-1); a price change or a larger quantity resets it (R-ORDER-3)",
    ),
    updatedAt: instant("When it last changed"),
    filledMw: mw("After matching, the quantity traded:").optional(),
  })
  .meta({ id: "Order" });

export const TradeSchema = z
  .object({
    tradeId: id("The trade, derived from market, bid and offer (R-MATCH-5, D-1)."),
    marketId: id("Its market."),
    buyOrderId: id("The bid (an id of the caller's only when it is the buyer)."),
    sellOrderId: id("The offer."),
    buyEntryId: id("The buyer's entry."),
    sellEntryId: id("The seller's entry."),
    quantityMw: mw("Traded quantity:"),
    availabilityPrice: gbpPerMwH("The offer's availability price (pay-as-offer, R-MATCH-4),"),
    utilisationPrice: gbpPerMwh("The offer's utilisation price (R-MATCH-4),"),
    windowStart: instant("Start of the market's window"),
    windowEnd: instant("End of the window (exclusive)"),
    status: z.enum(["confirmed", "cancelled", "vetoed"]).meta({
      description:
        "confirmed (the trade stands), cancelled (a topology change ended it from `cancelledFromSp`, R-VERIFY-4), vetoed (the DNO vetoed its market, R-VERIFY-8).",
    }),
    cancelledFromSp: z.number().int().optional().meta({
      description: "When not confirmed: the first SP (1…48) in which the trade no longer applies.",
    }),
    cancelledFrom: instant("When not confirmed: the start of `cancelledFromSp`").optional(),
    cancellationReason: z.enum(["topology-change", "dno-veto"]).optional().meta({
      description: "When not confirmed: why (R-VERIFY-4/5 or R-VERIFY-8).",
    }),
    topologyChangeId: id("The topology change that cancelled it.").optional(),
  })
  .meta({ id: "Trade" });

export const CycleSchema = z
  .object({
    cycleId: id("The day-ahead cycle: one accepted look-ahead and its workflow."),
    lookAheadId: id("The look-ahead it runs (R-IN-2)."),
    anmSchemeId: id("The ANM scheme."),
    deliveryDate: day,
    status: z.enum(["running", "markets-open", "published", "failed", "superseded"]).meta({
      description:
        "running, markets-open (waiting for gate closure), published (the re-ordered MOL is out), failed (the original MOL was published instead, §10), superseded (a later look-ahead replaced it, R-IN-3).",
    }),
    gateClosureAt: instant("The day's gate closure"),
    schemeVersion: z.number().int().nullable().meta({
      description:
        "The scheme configuration version the day runs under (GET /schemes/{anmSchemeId}); null: the scheme has none stored, the defaults apply.",
    }),
    executionArn: id("Its Step Functions execution.").optional(),
    step: id("The workflow step running now, or the last one.").optional(),
    failure: z
      .object({
        step: id("The step that failed."),
        error: id("The error's name."),
        cause: id("What went wrong, without internal detail."),
      })
      .optional()
      .meta({ description: "Why a failed cycle failed." }),
    supersedes: id("The cycle this one superseded (R-IN-3).").optional(),
    supersededBy: id("The cycle that superseded this one.").optional(),
    unresolvable: z
      .array(
        z.object({
          constraintId: id("The constraint."),
          sp: z
            .number()
            .int()
            .meta({ description: "The settlement period (1 = from local midnight)." }),
          shortfallMw: mw("Required curtailment no entry could give:"),
        }),
      )
      .optional()
      .meta({ description: "SPs the MOL cannot resolve (R-ALLOC-2), for the operator." }),
  })
  .meta({ id: "Cycle" });

export const ExecutionSchema = z
  .object({
    executionArn: id("The execution."),
    name: id("Its name."),
    status: id("RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED."),
    startedAt: instant("When it started"),
    stoppedAt: instant("When it ended").optional(),
    error: id("The error it ended with.").optional(),
    cause: id("Its cause.").optional(),
    events: z
      .array(
        z.object({
          type: id("The history event's type, e.g. TaskStateEntered."),
          state: id("The state it concerns.").optional(),
          at: instant("When it happened"),
          error: id("A failure's error.").optional(),
          cause: id("A failure's cause.").optional(),
        }),
      )
      .meta({ description: "The execution's history: states entered and exited, with times." }),
  })
  .meta({ id: "Execution" });

const MeritOrderLineSchema = z.object({
  curtailmentOrder: z
    .number()
    .int()
    .meta({ description: "Position in the re-ordered MOL (1 = curtailed first)." }),
  entryId: id("The unit: an entry, `<entry>/<tradeId>` (a slice) or `<entry>/rem` (R-REORDER)."),
  parentEntryId: id("The entry the unit belongs to."),
  tradeId: id("For a slice, the trade that moved it.").optional(),
  resourceId: id("The entry's resource."),
  capacityMw: mw("The unit's capacity (R-REORDER-1):"),
  forecastMw: mwPerSp("The unit's forecast (R-REORDER-2),"),
  curtailmentMw: mwPerSp("The unit's curtailment instruction (R-REORDER-4),"),
});

export const MeritOrderSchema = z
  .object({
    anmSchemeId: id("The ANM scheme."),
    deliveryDate: day,
    constraintId: id("The constraint."),
    status: z.enum(["provisional", "published"]).meta({
      description: "provisional before publication (no segments), published after (R-REORDER-6).",
    }),
    version: z.number().int().meta({ description: "The published version (immutable)." }),
    baseVersion: z
      .number()
      .int()
      .nullable()
      .optional()
      .meta({ description: "The MOL version the ANM sent with the look-ahead." }),
    reason: z
      .enum(["day-ahead", "fallback", "topology-change", "dno-veto"])
      .optional()
      .meta({ description: "Why this version was published (absent while provisional)." }),
    supersedesVersion: z
      .number()
      .int()
      .nullable()
      .optional()
      .meta({ description: "The version this one replaces; null for the day's first." }),
    topologyChangeId: id("The topology change that made this version (R-VERIFY-5).").optional(),
    cancelledTradeIds: z
      .array(z.string())
      .optional()
      .meta({ description: "Trades the change or veto behind this version cancelled." }),
    publishedAt: instant("When this version was published").optional(),
    fallback: z.boolean().meta({
      description: "True when a failed cycle published the original MOL unchanged (D-28).",
    }),
    base: z
      .object({
        entries: z
          .array(z.record(z.string(), z.unknown()))
          .meta({ description: "The MOL's entries as the look-ahead gave them." }),
      })
      .meta({ description: "The MOL as received." }),
    segments: z
      .array(
        z.object({
          marketId: id("The constraint's own market in the segment (D-6)."),
          marketIds: z
            .array(z.string())
            .meta({ description: "Every market whose trades apply here (D-6)." }),
          validFrom: instant("Start of the segment"),
          validTo: instant("End of the segment (exclusive)"),
          entries: z
            .array(MeritOrderLineSchema)
            .meta({ description: "The re-ordered MOL in force in the segment." }),
        }),
      )
      .meta({
        description: "The re-ordered MOL per traded window; outside them the base MOL stands.",
      }),
  })
  .meta({ id: "MeritOrder" });

/** `{ items }` lists (api.md, Conventions). */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item).meta({ description: "This page's items." }),
    nextToken: z.string().optional().meta({
      description: "Pass as `nextToken` for the next page; absent on the last page.",
    }),
  });
