import { listSettlementRuns } from "../../core/use-cases/settlement";
import { deps } from "../../runtime/deps";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { MonthQuerySchema } from "../schemas/post-trade";

/** GET /settlement-runs?month= (operator): the month's runs, oldest first. */
export const handler = httpHandler(async (event) => {
  const { month, limit, nextToken } = parseQuery(event, MonthQuerySchema);
  return json(200, await listSettlementRuns(deps, month, { limit, nextToken }));
});
