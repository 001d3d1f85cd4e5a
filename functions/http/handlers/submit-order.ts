import { randomUUID } from "node:crypto";
import { OrderRequestSchema } from "../../core/orders/order";
import { submitOrder } from "../../core/use-cases/trading";
import { marketDeps } from "../../runtime/market-deps";
import { callerOf } from "../auth/caller";
import { orderView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { parseBody } from "../middleware/parse-body";
import { json } from "../responses";

/** POST /orders (participant): a bid or offer (R-ORDER-1/2, R-GATE-1). */
export const handler = httpHandler(async (event) => {
  const receivedAtMs = marketDeps.clock.nowMs();
  const { principalId } = callerOf(event);
  const request = parseBody(event, OrderRequestSchema);
  const order = await submitOrder(marketDeps.trading, principalId, request, {
    orderId: `ord-${randomUUID()}`,
    receivedAtMs,
  });
  return json(201, orderView(order));
});
