import { EndpointRequestSchema, putEndpoint } from "../../core/webhooks/endpoints";
import * as ports from "../../runtime/ports";
import { webhookCallerOf } from "../auth/webhook-owner";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { json } from "../responses";

const deps = ports.compose({
  clock: ports.clock,
  ids: ports.ids,
  outbox: ports.outbox,
  endpoints: ports.endpoints,
  deliveries: ports.deliveries,
  secrets: ports.secrets,
  transport: ports.transport,
  webhookSettings: ports.webhookSettings,
});

/**
 * PUT /webhook-endpoint (participant, anm) — R-NOTIFY-1/2: 201 with the secret shown once on
 * creation, 200 without it after; 422 WEBHOOK_URL_NOT_ALLOWED for a URL the platform may not call.
 */
export const handler = httpHandler(
  idempotent(async (event) => {
    const request = parseBody(event, EndpointRequestSchema);
    const { owner, actor } = webhookCallerOf(event);
    const { created, view, secret } = await putEndpoint(deps, owner, actor, request);
    if (!created) return json(200, view);
    const { secretCreatedAt: _s, previousSecretExpiresAt: _p, ...rest } = view;
    return json(201, { ...rest, secret });
  }),
);
