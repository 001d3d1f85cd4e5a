import { parseInstant } from "../../core/model/settlement-periods";
import { listDeliveries } from "../../core/webhooks/deliveries";
import * as ports from "../../runtime/ports";
import { webhookCallerOf } from "../auth/webhook-owner";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { DeliveryQuerySchema } from "../schemas/webhooks-inputs";

const deps = ports.compose({
  clock: ports.clock,
  endpoints: ports.endpoints,
  deliveries: ports.deliveries,
});

/** GET /webhook-deliveries (participant, anm) — R-NOTIFY-8: the caller's deliveries, newest first. */
export const handler = httpHandler(async (event) => {
  const { status, type, from, to, limit, nextToken } = parseQuery(event, DeliveryQuerySchema);
  const { owner } = webhookCallerOf(event);
  const page = await listDeliveries(
    deps,
    owner,
    {
      ...(status ? { status } : {}),
      ...(type ? { type } : {}),
      ...(from ? { fromMs: parseInstant(from)! } : {}),
      ...(to ? { toMs: parseInstant(to)! } : {}),
    },
    { ...(limit ? { limit } : {}), ...(nextToken ? { nextToken } : {}) },
  );
  return json(200, page);
});
