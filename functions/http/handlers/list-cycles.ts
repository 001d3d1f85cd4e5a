import { listCycles } from "../../core/use-cases/market-queries";
import * as ports from "../../runtime/ports";
import { cycleView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { CyclesQuerySchema } from "../schemas/market-inputs";

const deps = ports.compose({ cycles: ports.cycles });

/**
 * GET /cycles (operator): the cycles of a delivery day, optionally of one `status` (D-151),
 * oldest first (then by cycle id); `limit` (default 100) a page, `nextToken` the next.
 */
export const handler = httpHandler(async (event) => {
  const { deliveryDate, status, limit, nextToken } = parseQuery(event, CyclesQuerySchema);
  const page = await listCycles(deps, deliveryDate, status, { limit, nextToken });
  return json(200, { ...page, items: page.items.map(cycleView) });
});
