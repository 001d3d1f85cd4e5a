import { listCycles } from "../../core/use-cases/market-queries";
import { deps } from "../../runtime/deps";
import { cycleView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { DeliveryDateQuerySchema } from "../schemas/market";

/**
 * GET /cycles (operator): the cycles of a delivery day, oldest first (then by cycle id);
 * `limit` (default 100) a page, `nextToken` the next.
 */
export const handler = httpHandler(async (event) => {
  const { deliveryDate, limit, nextToken } = parseQuery(event, DeliveryDateQuerySchema);
  const page = await listCycles(deps, deliveryDate, { limit, nextToken });
  return json(200, { ...page, items: page.items.map(cycleView) });
});
