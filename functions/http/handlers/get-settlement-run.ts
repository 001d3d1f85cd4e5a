import { getSettlementRun } from "../../core/use-cases/settlement";
import * as ports from "../../runtime/ports";
import { httpHandler } from "../middleware/http-handler";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { settlementRunId } from "../schemas/post-trade-inputs";

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

/** GET /settlement-runs/{settlementRunId} (operator): status, statements, failure if it failed. */
export const handler = httpHandler(async (event) => {
  const id = pathId(event, "settlementRunId", settlementRunId, "The settlement run");
  return json(200, await getSettlementRun(deps, id));
});
