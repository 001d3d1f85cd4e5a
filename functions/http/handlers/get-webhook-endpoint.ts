import { getEndpoint } from "../../core/webhooks/endpoints";
import { deps } from "../../runtime/deps";
import { webhookCallerOf } from "../auth/webhook-owner";
import { httpHandler } from "../middleware/http-handler";
import { json } from "../responses";

/** GET /webhook-endpoint (participant, anm): the caller's endpoint, never its secret; 404 if none. */
export const handler = httpHandler(async (event) => {
  const { owner } = webhookCallerOf(event);
  return json(200, await getEndpoint(deps, owner));
});
