import { listThirdPartyImpacts } from "../../core/use-cases/post-trade-reads";
import { deps } from "../../runtime/deps";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { PostTradeDayQuerySchema } from "../schemas/post-trade";

/** GET /third-party-impacts?deliveryDate= (operator): R-PERF-10 extra curtailment of others. */
export const handler = httpHandler(async (event) => {
  const { deliveryDate, limit, nextToken } = parseQuery(event, PostTradeDayQuerySchema);
  const page = await listThirdPartyImpacts(deps, deliveryDate, deps.clock.nowMs(), {
    limit,
    nextToken,
  });
  return json(200, page);
});
