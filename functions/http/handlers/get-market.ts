import { getMarket } from "../../core/use-cases/market-queries";
import * as ports from "../../runtime/ports";
import { marketView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { pathParameter } from "../middleware/parse-path";
import { json } from "../responses";

const deps = ports.compose({ markets: ports.markets });

/** GET /markets/{marketId} (participant, operator). */
export const handler = httpHandler(async (event) =>
  json(200, marketView(await getMarket(deps, pathParameter(event, "marketId")))),
);
