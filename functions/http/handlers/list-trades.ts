import { listTrades } from "../../core/use-cases/market-queries";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { tradeView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { DeliveryDateQuerySchema } from "../schemas/market-inputs";

const deps = ports.compose({ cycles: ports.cycles, trades: ports.trades });

/**
 * GET /trades (participant: trades it is party to; operator: all) for a delivery day, by
 * window, market and matching order; `limit` (default 100) a page, `nextToken` the next.
 */
export const handler = httpHandler(async (event) => {
  const { deliveryDate, limit, nextToken } = parseQuery(event, DeliveryDateQuerySchema);
  const page = await listTrades(deps, callerOf(event), deliveryDate, { limit, nextToken });
  return json(200, { ...page, items: page.items.map(tradeView) });
});
