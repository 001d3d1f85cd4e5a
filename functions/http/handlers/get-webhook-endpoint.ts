import { getEndpoint } from "../../core/webhooks/endpoints";
import * as ports from "../../runtime/ports";
import { webhookCallerOf } from "../auth/webhook-owner";
import { httpHandler } from "../middleware/http-handler";
import { json } from "../responses";

const deps = ports.compose({ clock: ports.clock, endpoints: ports.endpoints });

/** GET /webhook-endpoint (participant, anm): the caller's endpoint, never its secret; 404 if none. */
export const handler = httpHandler(async (event) => {
  const { owner } = webhookCallerOf(event);
  return json(200, await getEndpoint(deps, owner));
});
