import { getActuals } from "../../core/use-cases/post-trade-reads";
import { deps } from "../../runtime/deps";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { ActualsQuerySchema } from "../schemas/post-trade";

/** GET /anm/actuals?anmSchemeId=&deliveryDate= (anm, operator): the values held (R-PERF-1). */
export const handler = httpHandler(async (event) => {
  const query = parseQuery(event, ActualsQuerySchema);
  return json(200, await getActuals(deps, query));
});
