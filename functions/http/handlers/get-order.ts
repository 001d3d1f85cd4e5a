import { getOrder } from "../../core/use-cases/market-queries";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { orderView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { pathParameter } from "../middleware/parse-path";
import { json } from "../responses";

const deps = ports.compose({ orders: ports.orders });

/** GET /orders/{orderId} (participant): own orders only; anyone else's is 404. */
export const handler = httpHandler(async (event) => {
  const { principalId } = callerOf(event);
  const order = await getOrder(deps, principalId, pathParameter(event, "orderId"));
  return json(200, orderView(order));
});
