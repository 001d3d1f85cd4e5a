import { retryDelivery } from "../../core/webhooks/deliveries";
import * as ports from "../../runtime/ports";
import { webhookCallerOf } from "../auth/webhook-owner";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseOptionalEmptyBody } from "../middleware/parse-body";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { deliveryIdParameter } from "../schemas/webhooks-inputs";

const deps = ports.compose({
  clock: ports.clock,
  endpoints: ports.endpoints,
  deliveries: ports.deliveries,
});

/**
 * POST /webhook-deliveries/{deliveryId}/retry (own only) — R-NOTIFY-8: one attempt now with the
 * same id and body; 409 WEBHOOK_ENDPOINT_NOT_CONFIGURED without an enabled endpoint.
 */
export const handler = httpHandler(
  idempotent(async (event) => {
    parseOptionalEmptyBody(event);
    const id = pathId(event, "deliveryId", deliveryIdParameter, "The delivery");
    const { owner, actor } = webhookCallerOf(event);
    return json(202, await retryDelivery(deps, owner, id, actor));
  }),
);
