import * as z from "zod";
import { calendarDate, clientId } from "../../core/model/fields";
import { limitParameter, nextTokenParameter } from "./fields";

/**
 * Schemas of the day-ahead market routes (api.md "ANM interface", "Trading", "Operations"):
 * queries are strict (unknown parameters are refused), responses document what is returned.
 */

/** `limit` and `nextToken` of the market lists (api.md, Conventions: `limit` ≤ 100). */
const paging = {
  limit: limitParameter.meta({
    description: "Items per page, 1–100; default 100.",
  }),
  nextToken: nextTokenParameter.meta({
    description:
      "The nextToken of the previous page of the same list (same other parameters); absent on the last page.",
  }),
};

/** GET /opportunities, /markets, /trades, /cycles: one delivery day, a page at a time. */
export const DeliveryDateQuerySchema = z.strictObject({ deliveryDate: calendarDate, ...paging });

/** GET /orders: the caller's orders, of one market or all, a page at a time. */
export const OrdersQuerySchema = z.strictObject({ marketId: clientId.optional(), ...paging });

export const MeritOrderQuerySchema = z.strictObject({
  anmSchemeId: clientId,
  deliveryDate: calendarDate,
  constraintId: clientId,
});

const mw = z.number().meta({ description: "MW, at most 3 decimals" });
const gbp = z.number().meta({ description: "GBP, at most 2 decimals" });
const instant = z.string().meta({ description: "ISO 8601 instant (UTC)" });

export const CycleAcceptedSchema = z.object({ cycleId: z.string(), status: z.string() }).meta({
  id: "CycleAccepted",
  description: "The cycle the look-ahead started (or the original one on a replay).",
});

export const MarketSchema = z
  .object({
    marketId: z.string(),
    anmSchemeId: z.string(),
    deliveryDate: z.string(),
    constraintId: z.string(),
    windowStart: instant,
    windowEnd: instant,
    constraintSizeMw: mw,
    energyMwh: z.number(),
    gateClosureAt: instant,
    marketDepth: z.object({ buyMw: mw, sellMw: mw }),
    status: z.enum(["pending", "open", "closed", "matched", "cancelled"]),
    result: z.object({ tradeCount: z.number().int(), tradedMw: mw }).optional(),
  })
  .meta({ id: "Market" });

export const OpportunitySchema = z
  .object({
    opportunityId: z.string(),
    marketId: z.string(),
    constraintId: z.string(),
    entryId: z.string(),
    assetId: z.string(),
    side: z.enum(["buy", "sell"]),
    windowStart: instant,
    windowEnd: instant,
    constraintSizeMw: mw,
    predictedCurtailmentMw: z.array(mw),
    curtailmentOrder: z.number().int(),
    mwAhead: mw,
    maxQuantityMw: mw,
    marketDepth: z.object({ buyMw: mw, sellMw: mw }),
    sharedConstraintIds: z.array(z.string()),
    gateClosureAt: instant,
  })
  .meta({ id: "Opportunity" });

export const OrderSchema = z
  .object({
    orderId: z.string(),
    marketId: z.string(),
    entryId: z.string(),
    side: z.enum(["buy", "sell"]),
    quantityMw: mw,
    availabilityPrice: gbp,
    utilisationPrice: gbp,
    serviceType: z.enum(["generation-turn-down", "demand-turn-up"]).optional(),
    status: z.enum(["open", "withdrawn", "cancelled", "matched", "unmatched"]),
    submittedAt: instant,
    updatedAt: instant,
    filledMw: mw.optional(),
  })
  .meta({ id: "Order" });

export const TradeSchema = z
  .object({
    tradeId: z.string(),
    marketId: z.string(),
    buyOrderId: z.string(),
    sellOrderId: z.string(),
    buyEntryId: z.string(),
    sellEntryId: z.string(),
    quantityMw: mw,
    availabilityPrice: gbp,
    utilisationPrice: gbp,
    windowStart: instant,
    windowEnd: instant,
    status: z.literal("confirmed"),
  })
  .meta({ id: "Trade" });

export const CycleSchema = z
  .object({
    cycleId: z.string(),
    lookAheadId: z.string(),
    anmSchemeId: z.string(),
    deliveryDate: z.string(),
    status: z.enum(["running", "markets-open", "published", "failed", "superseded"]),
    gateClosureAt: instant,
    executionArn: z.string().optional(),
    step: z.string().optional(),
    failure: z.object({ step: z.string(), error: z.string(), cause: z.string() }).optional(),
    supersedes: z.string().optional(),
    supersededBy: z.string().optional(),
    unresolvable: z
      .array(z.object({ constraintId: z.string(), sp: z.number().int(), shortfallMw: mw }))
      .optional(),
  })
  .meta({ id: "Cycle" });

export const ExecutionSchema = z
  .object({
    executionArn: z.string(),
    name: z.string(),
    status: z.string(),
    startedAt: instant,
    stoppedAt: instant.optional(),
    error: z.string().optional(),
    cause: z.string().optional(),
    events: z.array(
      z.object({
        type: z.string(),
        state: z.string().optional(),
        at: instant,
        error: z.string().optional(),
        cause: z.string().optional(),
      }),
    ),
  })
  .meta({ id: "Execution" });

const MeritOrderLineSchema = z.object({
  curtailmentOrder: z.number().int(),
  entryId: z.string(),
  parentEntryId: z.string(),
  tradeId: z.string().optional(),
  resourceId: z.string(),
  capacityMw: mw,
  forecastMw: z.array(mw),
  curtailmentMw: z.array(mw),
});

export const MeritOrderSchema = z
  .object({
    anmSchemeId: z.string(),
    deliveryDate: z.string(),
    constraintId: z.string(),
    status: z.enum(["provisional", "published"]),
    version: z.number().int(),
    baseVersion: z.number().int().optional(),
    fallback: z.boolean(),
    base: z.object({ entries: z.array(z.record(z.string(), z.unknown())) }),
    segments: z.array(
      z.object({
        marketId: z.string(),
        marketIds: z.array(z.string()),
        validFrom: instant,
        validTo: instant,
        entries: z.array(MeritOrderLineSchema),
      }),
    ),
  })
  .meta({ id: "MeritOrder" });

/** `{ items }` lists (api.md, Conventions). */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextToken: z.string().optional() });
