import { pageOf } from "../../adapters/page-token";
import { marketDeps } from "../../runtime/market-deps";
import { callerOf } from "../auth/caller";
import { opportunityView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { DeliveryDateQuerySchema } from "../schemas/market";

/**
 * GET /opportunities (participant): the caller's own opportunities in live markets (R-ELIG-6),
 * by market, side and entry; `limit` (default 100) a page, `nextToken` the next.
 */
export const handler = httpHandler(async (event) => {
  const { principalId } = callerOf(event);
  const { deliveryDate, limit, nextToken } = parseQuery(event, DeliveryDateQuerySchema);
  const { markets } = marketDeps.repositories;
  const mine = await markets.listOpportunitiesOfParticipant(principalId, deliveryDate);
  const byId = new Map<string, Awaited<ReturnType<typeof markets.getMarket>>>();
  for (const marketId of new Set(mine.map((o) => o.marketId)))
    byId.set(marketId, await markets.getMarket(marketId));
  // Only opportunities of the cycle that owns the market now (a superseded cycle's are gone).
  const live = mine.filter((o) => {
    const m = byId.get(o.marketId);
    return m !== undefined && m.cycleId === o.cycleId && m.status !== "cancelled";
  });
  const page = pageOf(
    live,
    { limit, nextToken },
    {
      list: "opportunities",
      scope: deliveryDate,
      keyTypes: ["string", "string", "string", "string"],
      keyOf: (o) => [o.marketId, o.side, o.entryId, o.opportunityId],
    },
  );
  return json(200, {
    ...page,
    items: page.items.map((o) => opportunityView(o, byId.get(o.marketId)!)),
  });
});
