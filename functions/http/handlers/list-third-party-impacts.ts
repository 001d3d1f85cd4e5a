import { listThirdPartyImpacts } from "../../core/use-cases/post-trade-reads";
import * as ports from "../../runtime/ports";
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

/** GET /third-party-impacts?deliveryDate= (operator): R-PERF-10 extra curtailment of others. */
export const handler = httpHandler(async (event) => {
  const { deliveryDate, limit, nextToken } = parseQuery(event, PostTradeDayQuerySchema);
  const page = await listThirdPartyImpacts(deps, deliveryDate, deps.clock.nowMs(), {
    limit,
    nextToken,
  });
  return json(200, page);
});
