import { listOrders } from "../../core/use-cases/market-queries";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { orderView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { OrdersQuerySchema } from "../schemas/market-inputs";

const deps = ports.compose({ markets: ports.markets, orders: ports.orders });

/**
 * GET /orders: a participant's own orders, optionally of one market, by market and order id; the
 * operator's view of one market's orders (`marketId` required, D-151). `limit` (default 100) a
 * page, `nextToken` the next.
 */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const { marketId, limit, nextToken } = parseQuery(event, OrdersQuerySchema);
  const page = await listOrders(deps, caller, marketId, { limit, nextToken });
  return json(200, { ...page, items: page.items.map(orderView) });
});
