import { testEndpoint } from "../../core/webhooks/endpoints";
import * as ports from "../../runtime/ports";
import { webhookCallerOf } from "../auth/webhook-owner";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseOptionalEmptyBody } from "../middleware/parse-body";
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

/** POST /webhook-endpoint/test (participant, anm): a `webhook.test` event; 202 with its delivery. */
export const handler = httpHandler(
  idempotent(async (event) => {
    parseOptionalEmptyBody(event);
    const { owner } = webhookCallerOf(event);
    return json(202, await testEndpoint(deps, owner));
  }),
);
