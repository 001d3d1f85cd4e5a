import { marketDeps } from "../../runtime/market-deps";
import { marketView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { DeliveryDateQuerySchema } from "../schemas/market";

/** GET /markets (participant, operator): the markets of a delivery day, in window order. */
export const handler = httpHandler(async (event) => {
  const { deliveryDate } = parseQuery(event, DeliveryDateQuerySchema);
  const markets = await marketDeps.repositories.markets.listMarkets(deliveryDate);
  return json(200, { items: markets.map(marketView) });
});
