import type { StoredTrade } from "../../core/ports";
import { marketDeps } from "../../runtime/market-deps";
import { callerOf } from "../auth/caller";
import { tradeView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { DeliveryDateQuerySchema } from "../schemas/market";

/** GET /trades (participant: trades it is party to; operator: all) for a delivery day. */
export const handler = httpHandler(async (event) => {
  const { role, principalId } = callerOf(event);
  const { deliveryDate } = parseQuery(event, DeliveryDateQuerySchema);
  const { cycles, trades } = marketDeps.repositories;
  let found: StoredTrade[];
  if (role === "operator") {
    const all = await cycles.listCycles(deliveryDate);
    found = (await Promise.all(all.map((c) => trades.listTradesOfCycle(c.cycleId)))).flat();
  } else {
    found = await trades.listTradesOfParticipant(principalId, deliveryDate);
  }
  const unique = [...new Map(found.map((t) => [t.tradeId, t])).values()].sort(
    (a, b) =>
      a.windowStartMs - b.windowStartMs ||
      (a.marketId < b.marketId ? -1 : a.marketId > b.marketId ? 1 : a.sequence - b.sequence),
  );
  return json(200, { items: unique.map(tradeView) });
});
