import { listSettlementRuns } from "../../core/use-cases/settlement";
import * as ports from "../../runtime/ports";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { MonthQuerySchema } from "../schemas/post-trade-inputs";

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
  settlement: ports.settlement,
  settlementWorkflow: ports.settlementWorkflow,
});

/** GET /settlement-runs?month= (operator): the month's runs, oldest first. */
export const handler = httpHandler(async (event) => {
  const { month, limit, nextToken } = parseQuery(event, MonthQuerySchema);
  return json(200, await listSettlementRuns(deps, month, { limit, nextToken }));
});
