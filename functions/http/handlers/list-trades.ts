import { pageOf } from "../../adapters/page-token";
import type { StoredTrade } from "../../core/ports";
import { marketDeps } from "../../runtime/market-deps";
import { callerOf } from "../auth/caller";
import { tradeView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { DeliveryDateQuerySchema } from "../schemas/market";

/**
 * GET /trades (participant: trades it is party to; operator: all) for a delivery day, by
 * window, market and matching order; `limit` (default 100) a page, `nextToken` the next.
 */
export const handler = httpHandler(async (event) => {
  const { role, principalId } = callerOf(event);
  const { deliveryDate, limit, nextToken } = parseQuery(event, DeliveryDateQuerySchema);
  const { cycles, trades } = marketDeps.repositories;
  let found: StoredTrade[];
  if (role === "operator") {
    const all = await cycles.listCycles(deliveryDate);
    found = (await Promise.all(all.map((c) => trades.listTradesOfCycle(c.cycleId)))).flat();
  } else {
    found = await trades.listTradesOfParticipant(principalId, deliveryDate);
  }
  const unique = [...new Map(found.map((t) => [t.tradeId, t])).values()];
  const page = pageOf(
    unique,
    { limit, nextToken },
    {
      list: "trades",
      scope: deliveryDate,
      keyTypes: ["number", "string", "number", "string"],
      keyOf: (t) => [t.windowStartMs, t.marketId, t.sequence, t.tradeId],
    },
  );
  return json(200, { ...page, items: page.items.map(tradeView) });
});
