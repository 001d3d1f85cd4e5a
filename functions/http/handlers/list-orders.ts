import { marketDeps } from "../../runtime/market-deps";
import { callerOf } from "../auth/caller";
import { orderView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { OrdersQuerySchema } from "../schemas/market";

/** GET /orders (participant): the caller's own orders, optionally of one market. */
export const handler = httpHandler(async (event) => {
  const { principalId } = callerOf(event);
  const { marketId } = parseQuery(event, OrdersQuerySchema);
  const orders = await marketDeps.repositories.orders.listOrdersOfParticipant(
    principalId,
    marketId,
  );
  return json(200, { items: orders.map(orderView) });
});
