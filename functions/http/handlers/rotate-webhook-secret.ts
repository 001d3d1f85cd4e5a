import { rotateSecret } from "../../core/webhooks/endpoints";
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

/** POST /webhook-endpoint/secret-rotations (participant, anm) — R-NOTIFY-2: a new secret, once. */
export const handler = httpHandler(
  idempotent(async (event) => {
    parseOptionalEmptyBody(event);
    const { owner, actor } = webhookCallerOf(event);
    return json(201, await rotateSecret(deps, owner, actor));
  }),
);
