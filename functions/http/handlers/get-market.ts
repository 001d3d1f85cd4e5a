import { getMarket } from "../../core/use-cases/market-queries";
import { deps } from "../../runtime/deps";
import { marketView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { pathParameter } from "../middleware/parse-path";
import { json } from "../responses";

/** GET /markets/{marketId} (participant, operator). */
export const handler = httpHandler(async (event) =>
  json(200, marketView(await getMarket(deps, pathParameter(event, "marketId")))),
);
