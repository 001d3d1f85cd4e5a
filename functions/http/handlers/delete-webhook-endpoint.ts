import { deleteEndpoint } from "../../core/webhooks/endpoints";
import * as ports from "../../runtime/ports";
import { webhookCallerOf } from "../auth/webhook-owner";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";

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

/** DELETE /webhook-endpoint (participant, anm): 204; pending deliveries become undeliverable. */
export const handler = httpHandler(
  idempotent(async (event) => {
    const { owner, actor } = webhookCallerOf(event);
    await deleteEndpoint(deps, owner, actor);
    return { statusCode: 204, headers: {}, body: "" };
  }),
);
