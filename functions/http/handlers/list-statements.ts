import { listStatements } from "../../core/use-cases/settlement";
import { deps } from "../../runtime/deps";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { MonthQuerySchema } from "../schemas/post-trade";

/** GET /statements?month= (participant: own; operator: all): the latest version of each. */
export const handler = httpHandler(async (event) => {
  const { month, limit, nextToken } = parseQuery(event, MonthQuerySchema);
  return json(200, await listStatements(deps, callerOf(event), month, { limit, nextToken }));
});
