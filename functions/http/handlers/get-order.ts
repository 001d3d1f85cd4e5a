import { NotFoundError } from "../../core/errors";
import { marketDeps } from "../../runtime/market-deps";
import { callerOf } from "../auth/caller";
import { orderView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { json } from "../responses";

/** GET /orders/{orderId} (participant): own orders only; anyone else's is 404. */
export const handler = httpHandler(async (event) => {
  const { principalId } = callerOf(event);
  const orderId = event.pathParameters?.orderId ?? "";
  const order = await marketDeps.repositories.orders.getOrder(orderId);
  if (!order || order.participantId !== principalId) throw new NotFoundError(`Order ${orderId}`);
  return json(200, orderView(order));
});
