import { OrderRequestSchema } from "../../core/orders/order";
import { submitOrder } from "../../core/use-cases/trading";
import * as ports from "../../runtime/ports";
import { actorOf, callerOf } from "../auth/caller";
import { orderView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { json } from "../responses";

const deps = ports.compose({
  clock: ports.clock,
  ids: ports.ids,
  assets: ports.assets,
  claims: ports.claims,
  schemes: ports.schemes,
  markets: ports.markets,
  orders: ports.orders,
});

/**
 * POST /orders (participant): a bid or offer (R-ORDER-1/2, R-GATE-1). Honours `Idempotency-Key`
 * (api.md, Conventions): a replay returns the first order, a new body under the key is 422. The
 * receive time is taken before the key is looked up, so gate closure is judged on arrival.
 */
export const handler = httpHandler(async (event, context) => {
  const receivedAtMs = deps.clock.nowMs();
  return idempotent(async () => {
    const { principalId } = callerOf(event);
    const request = parseBody(event, OrderRequestSchema);
    const order = await submitOrder(
      deps,
      principalId,
      request,
      {
        orderId: deps.ids.newId("order"),
        receivedAtMs,
      },
      actorOf(event),
    );
    return json(201, orderView(order));
  })(event, context);
});
