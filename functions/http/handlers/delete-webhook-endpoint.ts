import { deleteEndpoint } from "../../core/webhooks/endpoints";
import { deps } from "../../runtime/deps";
import { webhookCallerOf } from "../auth/webhook-owner";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";

/** DELETE /webhook-endpoint (participant, anm): 204; pending deliveries become undeliverable. */
export const handler = httpHandler(
  idempotent(async (event) => {
    const { owner, actor } = webhookCallerOf(event);
    await deleteEndpoint(deps, owner, actor);
    return { statusCode: 204, headers: {}, body: "" };
  }),
);
