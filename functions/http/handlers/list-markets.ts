import { listMarkets } from "../../core/use-cases/market-queries";
import * as ports from "../../runtime/ports";
import { marketView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { DeliveryDateQuerySchema } from "../schemas/market-inputs";

const deps = ports.compose({ markets: ports.markets });

/**
 * GET /markets (participant, operator): the markets of a delivery day, in window order (then
 * by market id); `limit` (default 100) a page, `nextToken` the next.
 */
export const handler = httpHandler(async (event) => {
  const { deliveryDate, limit, nextToken } = parseQuery(event, DeliveryDateQuerySchema);
  const page = await listMarkets(deps, deliveryDate, { limit, nextToken });
  return json(200, { ...page, items: page.items.map(marketView) });
});
