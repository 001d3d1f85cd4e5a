import { OrderAmendmentSchema } from "../../core/orders/order";
import { amendOrder } from "../../core/use-cases/trading";
import * as ports from "../../runtime/ports";
import { actorOf, callerOf } from "../auth/caller";
import { orderView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { pathParameter } from "../middleware/parse-path";
import { json } from "../responses";

const deps = ports.compose({
  clock: ports.clock,
  assets: ports.assets,
  claims: ports.claims,
  schemes: ports.schemes,
  markets: ports.markets,
  orders: ports.orders,
});

/**
 * PATCH /orders/{orderId} (participant): amend until gate closure (R-ORDER-3). Honours
 * `Idempotency-Key`; the receive time is taken before the key is looked up.
 */
export const handler = httpHandler(async (event, context) => {
  const receivedAtMs = deps.clock.nowMs();
  return idempotent(async () => {
    const { principalId } = callerOf(event);
    const amendment = parseBody(event, OrderAmendmentSchema);
    const order = await amendOrder(
      deps,
      principalId,
      pathParameter(event, "orderId"),
      amendment,
      receivedAtMs,
      actorOf(event),
    );
    return json(200, orderView(order));
  })(event, context);
});
