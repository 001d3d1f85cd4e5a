import { NotFoundError } from "../../core/errors";
import { marketDeps } from "../../runtime/market-deps";
import { marketView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { json } from "../responses";

/** GET /markets/{marketId} (participant, operator). */
export const handler = httpHandler(async (event) => {
  const marketId = event.pathParameters?.marketId ?? "";
  const market = await marketDeps.repositories.markets.getMarket(marketId);
  if (!market) throw new NotFoundError(`Market ${marketId}`);
  return json(200, marketView(market));
});
