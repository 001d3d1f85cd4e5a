import * as z from "zod";

export { MarketVetoBodySchema, TopologyChangesQuerySchema } from "./verification-inputs";

/**
 * Schemas of day-of verification (api.md "ANM interface": topology changes, R-VERIFY). The
 * request body is the core's `TopologyChangeBodySchema` (shape errors 400, rule faults 422).
 */

const instant = (description: string) =>
  z.string().meta({ description: `${description} (ISO 8601 instant, UTC).`, format: "date-time" });

/** The versions a change or a veto published, each new and immutable. */
const publishedVersions = (description: string) =>
  z
    .array(
      z.object({
        constraintId: z.string().meta({ description: "The constraint re-published." }),
        version: z.number().int().meta({ description: "Its new version (immutable)." }),
      }),
    )
    .meta({ description });

/** The answer of `POST /anm/market-vetoes`. */
export const MarketVetoResultSchema = z
  .object({
    marketId: z.string().meta({ description: "The vetoed market." }),
    vetoedAt: instant("When the veto was received (the first time)"),
    reason: z.string().meta({ description: "As sent with the first request." }),
    vetoedTradeIds: z.array(z.string()).meta({ description: "Its trades, now `vetoed`." }),
    publishedVersions: publishedVersions(
      "Versions published without the vetoed trades (reason dno-veto).",
    ),
  })
  .meta({ id: "MarketVetoResult" });

/** The answer of `POST /anm/topology-changes` (R-VERIFY-1..7). */
export const TopologyChangeResultSchema = z
  .object({
    topologyChangeId: z
      .string()
      .meta({ description: "The change (its idempotency key, R-VERIFY-2)." }),
    receivedAt: instant("When the platform received it (the first time)"),
    effect: z.enum(["applied", "no-effect", "recorded-after-delivery"]).meta({
      description:
        "applied (cancellations and versions as listed, possibly none), no-effect (no SP starts at or after max(effectiveFrom, received) + notice, R-VERIFY-3), recorded-after-delivery (received at or after the end of the day, R-VERIFY-7).",
    }),
    cancellationSp: z
      .number()
      .int()
      .nullable()
      .meta({
        description: "The cancellation SP c (1…48, R-VERIFY-3); null without one.",
        examples: [28],
      }),
    cancellationFrom: z.string().nullable().meta({
      description:
        "Start of the cancellation SP (ISO 8601 instant, UTC); null when nothing is cancelled.",
      format: "date-time",
    }),
    cancelledTrades: z
      .array(
        z.object({
          tradeId: z.string().meta({ description: "The cancelled trade." }),
          marketId: z.string().meta({ description: "Its market." }),
          cancelledFromSp: z.number().int().meta({ description: "First SP no longer valid." }),
          cancelledFrom: instant("Start of that SP"),
        }),
      )
      .meta({ description: "Trades cancelled by this change (R-VERIFY-4/5)." }),
    publishedVersions: publishedVersions(
      "New merit-order versions (R-VERIFY-5), reason topology-change.",
    ),
  })
  .meta({ id: "TopologyChangeResult" });

/** An item of `GET /anm/topology-changes`: the change's processing state and, once applied, its result. */
export const TopologyChangeItemSchema = z
  .object({
    topologyChangeId: z.string().meta({ description: "The change." }),
    anmSchemeId: z.string().meta({ description: "The ANM scheme." }),
    deliveryDate: z.string().meta({ description: "The delivery day.", format: "date" }),
    effectiveFrom: z.string().meta({
      description: "When the switching took effect, as sent (ISO 8601 instant).",
      format: "date-time",
    }),
    receivedAt: instant("When the platform received it"),
    sequence: z
      .number()
      .int()
      .meta({ description: "Receive order within the scheme-day, from 1." }),
    state: z.enum(["received", "applied", "failed"]).meta({
      description:
        "received (waiting for processing), applied (its result is final), failed (processing failed and is retried; the last published versions stay in force, and the operator is alerted).",
    }),
    result: TopologyChangeResultSchema.optional().meta({ description: "Once applied." }),
    failure: z
      .object({
        error: z.string().meta({ description: "What went wrong (no internal detail)." }),
        at: instant("When"),
      })
      .optional()
      .meta({ description: "The last processing failure, while not applied." }),
  })
  .meta({ id: "TopologyChangeItem" });

export const TopologyChangeListSchema = z.object({
  items: z
    .array(TopologyChangeItemSchema)
    .meta({ description: "The day's changes by receive time, then id." }),
});
