import { pageOf } from "../../adapters/page-token";
import { marketDeps } from "../../runtime/market-deps";
import { marketView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { DeliveryDateQuerySchema } from "../schemas/market";

/**
 * GET /markets (participant, operator): the markets of a delivery day, in window order (then
 * by market id); `limit` (default 100) a page, `nextToken` the next.
 */
export const handler = httpHandler(async (event) => {
  const { deliveryDate, limit, nextToken } = parseQuery(event, DeliveryDateQuerySchema);
  const markets = await marketDeps.repositories.markets.listMarkets(deliveryDate);
  const page = pageOf(
    markets,
    { limit, nextToken },
    {
      list: "markets",
      scope: deliveryDate,
      keyTypes: ["number", "string"],
      keyOf: (m) => [m.windowStartMs, m.marketId],
    },
  );
  return json(200, { ...page, items: page.items.map(marketView) });
});
