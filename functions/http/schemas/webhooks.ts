import * as z from "zod";
import { EVENT_TYPES } from "../../core/events/platform-event";
import { allTypes, DELIVERY_STATUSES } from "./webhooks-inputs";

export {
  DeliveryQuerySchema,
  deliveryIdParameter,
  InstructionQuerySchema,
} from "./webhooks-inputs";

/**
 * Schemas of the webhook routes and events (docs/api.md "Webhooks"; R-NOTIFY, R-DISPATCH):
 * queries strict, responses as returned, and every event type's body for the OpenAPI `webhooks`.
 * The response and event schemas document, they do not validate: their formats are metadata.
 */

/** Documentation helpers, shaped like market.ts's: each field's meaning with its unit or format. */
const instant = (description: string) =>
  z.string().meta({ description: `${description} (ISO 8601 instant, UTC).`, format: "date-time" });
const id = (description: string) => z.string().meta({ description });
const int = (description: string) => z.number().int().meta({ description });
const mw = (description: string) =>
  z.number().meta({ description: `${description} MW, at most 3 decimals.` });
const gbp = (description: string) =>
  z.number().meta({ description: `${description} GBP, at most 2 decimals.` });
const day = z.string().meta({
  description: "The delivery day (Europe/London), YYYY-MM-DD.",
  format: "date",
});
const MOL_REASONS = ["day-ahead", "fallback", "topology-change", "dno-veto"] as const;
const molReason = z.enum(MOL_REASONS).meta({
  description:
    "Why the version was published: day-ahead (the cycle's re-ordered MOL), fallback (a failed cycle published the original MOL, D-28), topology-change or dno-veto (re-published after trades were cancelled).",
});
const molVersion = int(
  "The published MOL version (1, 2, …); for each subject keep the highest (R-NOTIFY-7).",
);

export const EndpointSchema = z
  .object({
    url: id("Where events are POSTed (R-NOTIFY-1)."),
    eventTypes: z.array(z.enum(EVENT_TYPES)).meta({
      description: "The event types the endpoint receives (every type unless the PUT chose some).",
    }),
    enabled: z.boolean().meta({
      description: "True while events are delivered (status enabled); false while paused or gone.",
    }),
    status: z.enum(["enabled", "disabled"]).meta({
      description:
        "enabled, or disabled: paused by a PUT with enabled false, or after a 410 (disabledReason gone).",
    }),
    disabledReason: z
      .literal("gone")
      .optional()
      .meta({ description: "The receiver answered 410: deliveries stopped (a PUT re-enables)." }),
    secretCreatedAt: instant("When the current signing secret was created"),
    previousSecretExpiresAt: instant(
      "After a rotation: until when the previous secret still signs",
    ).optional(),
    createdAt: instant("When the endpoint was first registered"),
    updatedAt: instant("When the endpoint last changed"),
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
    secret: z.string().meta({
      description: "The new signing secret (whsec_…), shown this once (R-NOTIFY-2).",
    }),
    previousSecretExpiresAt: instant(
      "The previous secret signs too until then (24 h); an older one is dropped at once",
    ),
  })
  .meta({ id: "WebhookSecretRotation" });

const deliveryId = z.string().meta({
  description: "The delivery: one event for one endpoint (dlv_ + 20 hex digits).",
  example: "dlv_3f0c2a9b1d4e5f607182",
});

export const TestDeliverySchema = z
  .object({ deliveryId: deliveryId.meta({ description: "The webhook.test event's delivery." }) })
  .meta({ id: "WebhookTestDelivery" });

/** A write without a body: none, or `{}` (anything else is 400). */
export const EmptyBodySchema = z.strictObject({}).meta({ id: "EmptyBody" });

const deliveryStatus = z.enum(DELIVERY_STATUSES).meta({
  description:
    "pending (an attempt is due), succeeded (a 2xx answer), failed (the 10th attempt failed, or a 410), undeliverable (no enabled endpoint took the event type).",
});
const eventType = z.enum(allTypes).meta({ description: "The event's type (R-NOTIFY-4)." });

export const DeliverySchema = z
  .object({
    deliveryId,
    eventId: id("The event it carries (evt_…), also sent as the webhook-id header."),
    type: eventType,
    status: deliveryStatus,
    createdAt: instant("When the event was stored for this endpoint"),
    attemptCount: int("Attempts made so far, manual retries included."),
    lastAttemptAt: instant("When the latest attempt was made").optional(),
    lastStatusCode: int(
      "The HTTP status the latest attempt got; absent when it got none (see attempts[].error).",
    ).optional(),
    nextAttemptAt: instant("While pending: when the next scheduled attempt is due").optional(),
  })
  .meta({ id: "WebhookDelivery" });

export const DeliveryDetailSchema = DeliverySchema.extend({
  body: z.string().meta({ description: "The exact body every attempt sent (R-NOTIFY-5/7)." }),
  attempts: z
    .array(
      z.object({
        at: instant("When the attempt started"),
        statusCode: int("The HTTP status the receiver answered with.").optional(),
        error: z
          .enum(["timeout", "connection", "tls", "dns", "redirect", "address-not-allowed"])
          .optional()
          .meta({
            description:
              "Why the attempt got no HTTP status: no answer in 15 s, no connection, a TLS failure, a name that did not resolve, a redirect (not followed), or a host resolving to an address that is not public.",
          }),
        durationMs: int("How long the attempt took, in milliseconds."),
        manual: z
          .literal(true)
          .optional()
          .meta({ description: "A retry asked for with POST …/retry (R-NOTIFY-8)." }),
      }),
    )
    .meta({
      description: "The latest attempts (at most 50), oldest first; attemptCount counts them all.",
    }),
}).meta({ id: "WebhookDeliveryDetail" });

export const RetrySchema = z
  .object({
    deliveryId,
    status: z.literal("pending").meta({ description: "The extra attempt is queued." }),
    nextAttemptAt: instant("When the extra attempt is made: now"),
  })
  .meta({ id: "WebhookRetry" });

const period = z.object({
  sp: int("The settlement period (1 = from local midnight)."),
  start: instant("Start of the SP"),
  curtailmentMw: mw(
    "What the version would curtail the unit by in the SP, if the look-ahead's requirement came true (R-DISPATCH-1):",
  ),
});

export const UnitSchema = z
  .object({
    unitId: id(
      "The unit: the entry E, a slice E/<tradeId> a trade moved, or the remainder E/rem (R-REORDER).",
    ),
    parentEntryId: id("The entry the unit belongs to."),
    tradeId: id("For a slice, the trade that moved it.").optional(),
    periods: z.array(period).meta({
      description: "The unit's curtailment per SP of each traded segment (R-DISPATCH-2).",
    }),
  })
  .meta({ id: "DispatchUnit" });

export const InstructionSchema = UnitSchema.extend({
  anmSchemeId: id("The ANM scheme."),
  deliveryDate: day,
  constraintId: id("The constraint."),
  version: molVersion,
  reason: molReason,
}).meta({ id: "MeritOrderInstruction" });

// ── Event bodies (R-NOTIFY-5), for the OpenAPI `webhooks` ────────────────────────────────────

const href = z.object({
  href: z.string().meta({ description: "The API resource (data over 20 KB is sent as this)." }),
});

export const EVENT_DATA = {
  "market.opened": z.object({
    anmSchemeId: id("The ANM scheme."),
    deliveryDate: day,
    marketId: id("The market that opened: one constraint event of the day."),
    constraintId: id("The constraint whose event the market trades."),
    windowStart: instant("Start of the market's window"),
    windowEnd: instant("End of the market's window, exclusive"),
    gateClosureAt: instant("The day's gate closure; no order is accepted at or after it"),
    opportunities: z
      .array(
        z.object({
          opportunityId: id("The opportunity (see GET /opportunities)."),
          entryId: id("The recipient's MOL entry."),
          side: z.enum(["buy", "sell"]).meta({
            description:
              "buy: the entry is forecast to be curtailed in the window; sell: it is not (R-ELIG-2/3).",
          }),
          maxQuantityMw: mw("The most the entry may buy or sell in the market:"),
        }),
      )
      .meta({ description: "The recipient's own opportunities in the market." }),
  }),
  "order.cancelled": z.object({
    orderId: id("The recipient's order that was cancelled."),
    marketId: id("Its market."),
    reason: z.literal("look-ahead-superseded").meta({
      description: "A later look-ahead for the day replaced the market (R-IN-3).",
    }),
  }),
  "trade.confirmed": z.object({
    tradeId: id("The trade."),
    marketId: id("Its market."),
    deliveryDate: day,
    side: z.enum(["buy", "sell"]).meta({
      description:
        "The recipient's side: buy (its entry, forecast to be curtailed, is curtailed less) or sell (its entry is curtailed in the buyer's place).",
    }),
    entryId: id("The recipient's entry in the trade."),
    counterpartyEntryId: id("The other party's entry (never its participant)."),
    quantityMw: mw("Traded quantity:"),
    availabilityPrice: z.number().meta({
      description: "Availability price (pay-as-offer), £/MW/h, at most 2 decimals.",
    }),
    utilisationPrice: z.number().meta({
      description: "Utilisation price, £/MWh, at most 2 decimals.",
    }),
    windowStart: instant("Start of the market's window"),
    windowEnd: instant("End of the market's window, exclusive"),
  }),
  "trade.cancelled": z.object({
    tradeId: id("The trade."),
    marketId: id("Its market."),
    deliveryDate: day,
    reason: z.enum(["topology-change", "dno-veto"]).meta({
      description: "A topology change or a DNO veto of the market cancelled it.",
    }),
    topologyChangeId: id("The topology change, when that was the reason.").optional(),
    cancelledFromSp: int("The first SP no longer traded (1 = from local midnight)."),
    cancelledFrom: instant("Start of that SP: the trade stands only before it"),
    validSpCount: int("How many SPs of the trade's window stand (before the cancellation)."),
    meritOrderVersion: molVersion.meta({
      description:
        "The MOL version published with the cancellation; for each trade keep the highest (R-NOTIFY-7).",
    }),
  }),
  "merit-order.published": z.object({
    anmSchemeId: id("The ANM scheme."),
    deliveryDate: day,
    constraintId: id("The constraint."),
    version: molVersion,
    reason: molReason,
    href: id(
      "Where to read it: GET /anm/merit-order for the ANM, GET /merit-order-instructions for a participant.",
    ),
  }),
  "dispatch.instruction": z.object({
    anmSchemeId: id("The ANM scheme."),
    deliveryDate: day,
    constraintId: id("The constraint."),
    version: molVersion,
    units: z.array(UnitSchema).meta({
      description:
        "The recipient's own units in the version; empty: it no longer has any instruction (R-DISPATCH-2).",
    }),
  }),
  "statement.issued": z.object({
    statementId: id("The statement."),
    month: id("The month it covers, YYYY-MM."),
    version: int(
      "The statement's version: a later settlement run that changes it issues the next; keep the highest.",
    ),
    payableGbp: gbp("What the participant owes:"),
    receivableGbp: gbp("What the participant is owed:"),
    netGbp: gbp("Receivable − payable:"),
    href: id("Where to read it: GET /statements/{statementId}?version=."),
  }),
  "webhook.test": z.object({}),
} as const;

/** Who each event type goes to (docs/api.md "Events"). */
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
      type: z.literal(type).meta({ description: "The event's type." }),
      timestamp: instant("When the change occurred"),
      data: z.union([EVENT_DATA[type], href]).meta({
        description: "What happened (see the event type); { href } when it would be over 20 KB.",
      }),
    })
    .meta({ id: `Event_${type.replace(/[.-]/g, "_")}` });
}
