import { getDelivery } from "../../core/webhooks/deliveries";
import * as ports from "../../runtime/ports";
import { webhookCallerOf } from "../auth/webhook-owner";
import { httpHandler } from "../middleware/http-handler";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { deliveryIdParameter } from "../schemas/webhooks-inputs";

const deps = ports.compose({
  clock: ports.clock,
  endpoints: ports.endpoints,
  deliveries: ports.deliveries,
});

/** GET /webhook-deliveries/{deliveryId} (own only; another's is 404): the body sent and attempts. */
export const handler = httpHandler(async (event) => {
  const id = pathId(event, "deliveryId", deliveryIdParameter, "The delivery");
  const { owner } = webhookCallerOf(event);
  return json(200, await getDelivery(deps, owner, id));
});
