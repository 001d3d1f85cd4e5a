import { withdrawOrder } from "../../core/use-cases/trading";
import { marketDeps } from "../../runtime/market-deps";
import { callerOf } from "../auth/caller";
import { orderView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { json } from "../responses";

/** DELETE /orders/{orderId} (participant): withdraw until gate closure (R-ORDER-3). */
export const handler = httpHandler(async (event) => {
  const receivedAtMs = marketDeps.clock.nowMs();
  const { principalId } = callerOf(event);
  const order = await withdrawOrder(
    marketDeps.trading,
    principalId,
    event.pathParameters?.orderId ?? "",
    receivedAtMs,
  );
  return json(200, orderView(order));
});
