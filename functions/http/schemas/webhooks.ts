import { z } from "zod";
import { EVENT_TYPES } from "../../core/events/platform-event";
import { calendarDate, clientId } from "../../core/model/fields";
import { instantString, limitParameter, nextTokenParameter } from "./fields";

/**
 * Schemas of the webhook routes and events (api-post-trade.md "Webhooks"; R-NOTIFY, R-DISPATCH):
 * queries strict, responses as returned, and every event type's body for the OpenAPI `webhooks`.
 */
const instant = z.string().meta({ description: "ISO 8601 instant (UTC)" });
const mw = z.number().meta({ description: "MW, at most 3 decimals" });
const gbp = z.number().meta({ description: "GBP, at most 2 decimals" });
const allTypes = [...EVENT_TYPES, "webhook.test"] as const;

export const EndpointSchema = z
  .object({
    url: z.string(),
    eventTypes: z.array(z.enum(EVENT_TYPES)),
    enabled: z.boolean(),
    status: z.enum(["enabled", "disabled"]),
    disabledReason: z
      .literal("gone")
      .optional()
      .meta({ description: "The receiver answered 410: deliveries stopped (a PUT re-enables)." }),
    secretCreatedAt: instant,
    previousSecretExpiresAt: instant
      .optional()
      .meta({ description: "After a rotation: until when the previous secret still signs." }),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: "WebhookEndpoint" });

export const EndpointCreatedSchema = EndpointSchema.omit({
  secretCreatedAt: true,
  previousSecretExpiresAt: true,
})
  .extend({
    secret: z.string().meta({
      description:
        "whsec_ + base64 of 32 random bytes: the signing secret, shown this once (R-NOTIFY-2).",
      example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw/ZnHOZs/ysM=",
    }),
  })
  .meta({ id: "WebhookEndpointCreated" });

export const EndpointUpdatedSchema = EndpointSchema.omit({
  secretCreatedAt: true,
  previousSecretExpiresAt: true,
}).meta({ id: "WebhookEndpointUpdated" });

export const SecretRotationSchema = z
  .object({
    secret: z.string().meta({ description: "The new secret, shown this once." }),
    previousSecretExpiresAt: instant.meta({
      description: "The previous secret signs too until then (24 h); an older one is dropped.",
    }),
  })
  .meta({ id: "WebhookSecretRotation" });

export const TestDeliverySchema = z
  .object({ deliveryId: z.string().meta({ example: "dlv_3f0c2a9b1d4e5f607182" }) })
  .meta({ id: "WebhookTestDelivery" });

/** A write without a body: none, or `{}` (anything else is 400). */
export const EmptyBodySchema = z.strictObject({}).meta({ id: "EmptyBody" });

export const DeliveryQuerySchema = z.strictObject({
  status: z.enum(["pending", "succeeded", "failed", "undeliverable"]).optional(),
  type: z.enum(allTypes).optional(),
  from: instantString.optional().meta({ description: "Created at or after this instant." }),
  to: instantString.optional().meta({ description: "Created at or before this instant." }),
  limit: limitParameter.meta({ description: "Items per page, 1–100; default 100." }),
  nextToken: nextTokenParameter.meta({
    description: "The nextToken of the previous page of the same list.",
  }),
});

export const DeliverySchema = z
  .object({
    deliveryId: z.string(),
    eventId: z.string(),
    type: z.enum(allTypes),
    status: z.enum(["pending", "succeeded", "failed", "undeliverable"]),
    createdAt: instant,
    attemptCount: z.number().int(),
    lastAttemptAt: instant.optional(),
    lastStatusCode: z.number().int().optional(),
    nextAttemptAt: instant.optional(),
  })
  .meta({ id: "WebhookDelivery" });

export const DeliveryDetailSchema = DeliverySchema.extend({
  body: z.string().meta({ description: "The exact body every attempt sent (R-NOTIFY-5/7)." }),
  attempts: z.array(
    z.object({
      at: instant,
      statusCode: z.number().int().optional(),
      error: z
        .enum(["timeout", "connection", "tls", "dns", "redirect", "address-not-allowed"])
        .optional(),
      durationMs: z.number().int(),
      manual: z
        .literal(true)
        .optional()
        .meta({ description: "A retry asked for with POST …/retry (R-NOTIFY-8)." }),
    }),
  ),
}).meta({ id: "WebhookDeliveryDetail" });

export const RetrySchema = z
  .object({ deliveryId: z.string(), status: z.literal("pending"), nextAttemptAt: instant })
  .meta({ id: "WebhookRetry" });

export const deliveryIdParameter = z
  .string()
  .regex(/^dlv_[0-9a-f]{20}$/, { message: "must be a dlv_ id" });

export const InstructionQuerySchema = z.strictObject({
  deliveryDate: calendarDate,
  constraintId: clientId,
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,5}$/, { message: "must be a version number (1, 2, …)" })
    .transform(Number)
    .optional()
    .meta({ description: "A published version; default the version in force." }),
  anmSchemeId: clientId
    .optional()
    .meta({ description: "Only this ANM scheme (additive); default every scheme." }),
  limit: limitParameter,
  nextToken: nextTokenParameter,
});

const period = z.object({ sp: z.number().int(), start: instant, curtailmentMw: mw });

export const UnitSchema = z
  .object({
    unitId: z.string().meta({ description: "E, E/<tradeId> or E/rem" }),
    parentEntryId: z.string(),
    tradeId: z.string().optional(),
    periods: z.array(period),
  })
  .meta({ id: "DispatchUnit" });

export const InstructionSchema = UnitSchema.extend({
  anmSchemeId: z.string(),
  deliveryDate: z.string(),
  constraintId: z.string(),
  version: z.number().int(),
  reason: z.enum(["day-ahead", "fallback", "topology-change", "dno-veto"]),
}).meta({ id: "MeritOrderInstruction" });

// ── Event bodies (R-NOTIFY-5), for the OpenAPI `webhooks` ────────────────────────────────────

const href = z.object({
  href: z.string().meta({ description: "The API resource (data over 20 KB is sent as this)." }),
});

export const EVENT_DATA = {
  "market.opened": z.object({
    anmSchemeId: z.string(),
    deliveryDate: z.string(),
    marketId: z.string(),
    constraintId: z.string(),
    windowStart: instant,
    windowEnd: instant,
    gateClosureAt: instant,
    opportunities: z.array(
      z.object({
        opportunityId: z.string(),
        entryId: z.string(),
        side: z.enum(["buy", "sell"]),
        maxQuantityMw: mw,
      }),
    ),
  }),
  "order.cancelled": z.object({
    orderId: z.string(),
    marketId: z.string(),
    reason: z.literal("look-ahead-superseded"),
  }),
  "trade.confirmed": z.object({
    tradeId: z.string(),
    marketId: z.string(),
    deliveryDate: z.string(),
    side: z.enum(["buy", "sell"]),
    entryId: z.string(),
    counterpartyEntryId: z.string(),
    quantityMw: mw,
    availabilityPrice: gbp,
    utilisationPrice: gbp,
    windowStart: instant,
    windowEnd: instant,
  }),
  "trade.cancelled": z.object({
    tradeId: z.string(),
    marketId: z.string(),
    deliveryDate: z.string(),
    reason: z.enum(["topology-change", "dno-veto"]),
    topologyChangeId: z.string().optional(),
    cancelledFromSp: z.number().int(),
    cancelledFrom: instant,
    validSpCount: z.number().int(),
    meritOrderVersion: z.number().int(),
  }),
  "merit-order.published": z.object({
    anmSchemeId: z.string(),
    deliveryDate: z.string(),
    constraintId: z.string(),
    version: z.number().int(),
    reason: z.enum(["day-ahead", "fallback", "topology-change", "dno-veto"]),
    href: z.string(),
  }),
  "dispatch.instruction": z.object({
    anmSchemeId: z.string(),
    deliveryDate: z.string(),
    constraintId: z.string(),
    version: z.number().int(),
    units: z.array(UnitSchema),
  }),
  "statement.issued": z.object({
    statementId: z.string(),
    month: z.string(),
    version: z.number().int(),
    payableGbp: gbp,
    receivableGbp: gbp,
    netGbp: gbp,
    href: z.string(),
  }),
  "webhook.test": z.object({}),
} as const;

/** Who each event type goes to (api-post-trade.md "Delivery and events"). */
export const EVENT_RECIPIENTS: Record<keyof typeof EVENT_DATA, string> = {
  "market.opened": "Each participant with an opportunity in the market (its own opportunities).",
  "order.cancelled": "The order's owner, when a superseding look-ahead cancels its order.",
  "trade.confirmed":
    "Each party of a trade, at publication (its side; the counterparty's entry, never its participant id).",
  "trade.cancelled": "Each party, when a topology change or a DNO veto cancels the trade.",
  "merit-order.published":
    "The ANM; and each participant with a slice or remainder in the version or the one it replaces (R-DISPATCH-2).",
  "dispatch.instruction":
    "Each participant with a slice or remainder in the version or the one it replaces: its own units' curtailment per SP (empty: no instruction any more).",
  "statement.issued": "The statement's participant.",
  "webhook.test": "The caller of POST /webhook-endpoint/test.",
};

/** The body of one event type: `{ id, type, timestamp, data }`. */
export function eventBodySchema(type: keyof typeof EVENT_DATA) {
  return z
    .object({
      id: z.string().meta({
        description: "evt_ + hash(type, subject, version, recipient): the same for every attempt.",
      }),
      type: z.literal(type),
      timestamp: instant.meta({ description: "When the change occurred." }),
      data: z.union([EVENT_DATA[type], href]),
    })
    .meta({ id: `Event_${type.replace(/[.-]/g, "_")}` });
}
