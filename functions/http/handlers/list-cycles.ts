import { pageOf } from "../../adapters/page-token";
import { marketDeps } from "../../runtime/market-deps";
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
  const cycles = await marketDeps.repositories.cycles.listCycles(deliveryDate);
  const page = pageOf(
    cycles,
    { limit, nextToken },
    {
      list: "cycles",
      scope: deliveryDate,
      keyTypes: ["number", "string"],
      keyOf: (c) => [c.createdAtMs, c.cycleId],
    },
  );
  return json(200, { ...page, items: page.items.map(cycleView) });
});
