import { listPerformance } from "../../core/use-cases/post-trade-reads";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { PostTradeDayQuerySchema } from "../schemas/post-trade-inputs";

const deps = ports.compose({
  clock: ports.clock,
  assets: ports.assets,
  claims: ports.claims,
  schemes: ports.schemes,
  cycles: ports.cycles,
  markets: ports.markets,
  orders: ports.orders,
  trades: ports.trades,
  meritOrders: ports.meritOrders,
  topologyChanges: ports.topologyChanges,
  actuals: ports.actuals,
  nominations: ports.nominations,
  meters: ports.meters,
  ledger: ports.ledger,
});

/**
 * GET /performance?deliveryDate= (participant: its role in its trades; operator: both roles):
 * R-PERF per trade, from the inputs held now; the buyer's item omits the seller's data.
 */
export const handler = httpHandler(async (event) => {
  const { deliveryDate, limit, nextToken } = parseQuery(event, PostTradeDayQuerySchema);
  const page = await listPerformance(deps, callerOf(event), deliveryDate, deps.clock.nowMs(), {
    limit,
    nextToken,
  });
  return json(200, page);
});
