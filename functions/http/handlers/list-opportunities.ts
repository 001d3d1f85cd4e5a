import { listOpportunities } from "../../core/use-cases/market-queries";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { opportunityView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { DeliveryDateQuerySchema } from "../schemas/market-inputs";

const deps = ports.compose({ markets: ports.markets });

/**
 * GET /opportunities (participant): the caller's own opportunities in live markets (R-ELIG-6),
 * by market, side and entry; `limit` (default 100) a page, `nextToken` the next.
 */
export const handler = httpHandler(async (event) => {
  const { principalId } = callerOf(event);
  const { deliveryDate, limit, nextToken } = parseQuery(event, DeliveryDateQuerySchema);
  const page = await listOpportunities(deps, principalId, deliveryDate, { limit, nextToken });
  return json(200, {
    ...page,
    items: page.items.map(({ opportunity, market }) => opportunityView(opportunity, market)),
  });
});
