import * as z from "zod";
import type { ZodOpenApiPathItemObject } from "zod-openapi";
import { EndpointRequestSchema } from "../../core/webhooks/endpoints";
import { PROBLEM_CONTENT_TYPE } from "../problem";
import { listOf } from "../schemas/market";
import { ProblemSchema } from "../schemas/problem";
import {
  DeliveryDetailSchema,
  DeliveryQuerySchema,
  DeliverySchema,
  EmptyBodySchema,
  EndpointCreatedSchema,
  EndpointSchema,
  EndpointUpdatedSchema,
  EVENT_DATA,
  EVENT_RECIPIENTS,
  eventBodySchema,
  InstructionQuerySchema,
  InstructionSchema,
  RetrySchema,
  SecretRotationSchema,
  TestDeliverySchema,
} from "../schemas/webhooks";
import type { RouteContract } from "./operations";

type Contract = RouteContract;

const ok = (description: string, schema: z.ZodType, status = "200") => ({
  [status]: { description, content: { "application/json": { schema } } },
});
const problem = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
});
const idempotencyKey = z.object({
  "idempotency-key": z.string().max(255).optional().meta({
    description:
      "Optional. The same key (per caller) with the same body replays the first response (a shown secret included); with another body 422 IDEMPOTENCY_KEY_REUSED.",
  }),
});
/** The rotation, test and retry writes: no body, or `{}`. */
const emptyBody = {
  required: false,
  content: { "application/json": { schema: EmptyBodySchema, example: {} } },
};
const deliveryPath = z.object({
  deliveryId: z.string().meta({
    description: "The delivery (dlv_…), as GET /webhook-deliveries lists it.",
    example: "dlv_3f0c2a9b1d4e5f607182",
  }),
});
const TAG = ["Webhooks"];

/** The documented contract of the webhook routes (docs/api.md "Webhooks"). */
export const WEBHOOK_OPERATIONS = {
  PutWebhookEndpoint: {
    summary: "Register or replace the caller's webhook endpoint (R-NOTIFY-1/2)",
    tags: TAG,
    requestParams: { header: idempotencyKey },
    requestBody: {
      content: {
        "application/json": {
          schema: EndpointRequestSchema,
          example: {
            url: "https://hooks.example.com/bitrader",
            eventTypes: ["trade.confirmed", "trade.cancelled", "dispatch.instruction"],
            enabled: true,
          },
        },
      },
    },
    responses: {
      ...ok("Created: the secret is shown this once.", EndpointCreatedSchema, "201"),
      ...ok("Replaced (no secret); re-enables an endpoint a 410 disabled.", EndpointUpdatedSchema),
      "400": problem("VALIDATION_FAILED (an unknown event type, a field of the wrong type)."),
      "422": problem(
        "WEBHOOK_URL_NOT_ALLOWED: not https:// (locally also http://127.0.0.1:<port>, http://localhost:<port>), or its host resolves to a private, loopback, link-local or metadata address.",
      ),
    },
    errors: ["WEBHOOK_URL_NOT_ALLOWED"],
  },
  GetWebhookEndpoint: {
    summary: "The caller's webhook endpoint (never its secret)",
    tags: TAG,
    responses: {
      ...ok("The endpoint.", EndpointSchema),
      "404": problem("No endpoint (NOT_FOUND)."),
    },
    // The caller has registered no endpoint.
    errors: ["NOT_FOUND"],
  },
  DeleteWebhookEndpoint: {
    summary: "Delete the caller's endpoint; its pending deliveries become undeliverable",
    tags: TAG,
    requestParams: { header: idempotencyKey },
    responses: { "204": { description: "Deleted." }, "404": problem("No endpoint (NOT_FOUND).") },
    errors: ["NOT_FOUND"],
  },
  RotateWebhookSecret: {
    summary: "A new signing secret; the previous one signs too for 24 h (R-NOTIFY-2)",
    tags: TAG,
    requestParams: { header: idempotencyKey },
    requestBody: emptyBody,
    responses: {
      ...ok("The new secret, shown once.", SecretRotationSchema, "201"),
      "404": problem("No endpoint (NOT_FOUND)."),
    },
    errors: ["NOT_FOUND"],
  },
  TestWebhookEndpoint: {
    summary: "Send a webhook.test event (data {}) to the caller's endpoint",
    tags: TAG,
    requestParams: { header: idempotencyKey },
    requestBody: emptyBody,
    responses: {
      ...ok(
        "Accepted: its delivery (see GET /webhook-deliveries/{id}).",
        TestDeliverySchema,
        "202",
      ),
      "409": problem("WEBHOOK_ENDPOINT_NOT_CONFIGURED: no enabled endpoint."),
    },
    errors: ["WEBHOOK_ENDPOINT_NOT_CONFIGURED"],
  },
  ListWebhookDeliveries: {
    summary: "The caller's deliveries, newest first (R-NOTIFY-8)",
    tags: TAG,
    requestParams: { query: DeliveryQuerySchema },
    responses: {
      ...ok("A page of `limit` deliveries; `nextToken` when more follow.", listOf(DeliverySchema)),
      "400": problem("VALIDATION_FAILED: a query parameter (named by the error's path)."),
    },
  },
  GetWebhookDelivery: {
    summary: "One delivery: the exact body sent and every attempt",
    tags: TAG,
    requestParams: { path: deliveryPath },
    responses: {
      ...ok("The delivery.", DeliveryDetailSchema),
      "404": problem("Unknown, or another caller's (NOT_FOUND)."),
    },
  },
  RetryWebhookDelivery: {
    summary: "One attempt now, same id and body, in any state (R-NOTIFY-8)",
    tags: TAG,
    requestParams: { path: deliveryPath, header: idempotencyKey },
    requestBody: emptyBody,
    responses: {
      ...ok("Accepted: the attempt is made at once.", RetrySchema, "202"),
      "404": problem("Unknown, or another caller's (NOT_FOUND)."),
      "409": problem("WEBHOOK_ENDPOINT_NOT_CONFIGURED: no enabled endpoint."),
    },
    errors: ["WEBHOOK_ENDPOINT_NOT_CONFIGURED"],
  },
  ListMeritOrderInstructions: {
    summary: "Each unit's curtailment per SP in a published MOL version (R-DISPATCH-2)",
    tags: ["ANM interface"],
    requestParams: { query: InstructionQuerySchema },
    responses: {
      ...ok(
        "Units of the version in force (or `version`): a participant's own units only; the ANM and the operator all.",
        listOf(InstructionSchema),
      ),
      "400": problem("VALIDATION_FAILED: a query parameter."),
      "404": problem("No such published version (NOT_FOUND)."),
    },
    // No such version, or (ANM, operator) no scheme with a cycle that day (D-172, D-195).
    errors: ["NOT_FOUND"],
  },
} satisfies Record<string, Contract>;

/**
 * OpenAPI 3.1 `webhooks`: every event type the platform POSTs to an endpoint, with its body,
 * headers and the answers it takes (R-NOTIFY-5/6).
 */
export function webhookDocs(): Record<string, ZodOpenApiPathItemObject> {
  const headers = z.object({
    "webhook-id": z.string().meta({ description: "The event id (`evt_…`): dedupe on it." }),
    "webhook-timestamp": z.string().meta({ description: "The attempt's time, Unix seconds." }),
    "webhook-signature": z.string().meta({
      description:
        "Standard Webhooks: `v1,` + base64(HMAC-SHA256(secret, id.timestamp.body)), one per live secret, space-separated.",
    }),
  });
  return Object.fromEntries(
    (Object.keys(EVENT_DATA) as (keyof typeof EVENT_DATA)[]).map((type) => [
      type,
      {
        post: {
          operationId: `Event_${type.replace(/[.-]/g, "_")}`,
          summary: `${type}: ${EVENT_RECIPIENTS[type]}`,
          tags: TAG,
          requestParams: { header: headers },
          requestBody: {
            description:
              "`{ id, type, timestamp, data }`, sent exactly as signed; `data` over 20 KB is `{ href }`.",
            content: { "application/json": { schema: eventBodySchema(type) } },
          },
          responses: {
            "2XX": { description: "Delivered." },
            "410": {
              description: "Gone: the endpoint is disabled and its pending deliveries fail.",
            },
            default: {
              description:
                "Any other answer (or none in 15 s) is a failure, retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h (+ up to 10 %; Retry-After is a minimum); failed after the 10th.",
            },
          },
        },
      },
    ]),
  );
}
