import { startSettlementRun } from "../../core/use-cases/settlement";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { json } from "../responses";
import { SettlementRunRequestSchema } from "../schemas/post-trade-inputs";

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

/**
 * POST /settlement-runs (operator): starts the month's run (R-SETTLE-7) — 409
 * MONTH_NOT_SETTLEABLE before its deadline, 409 SETTLEMENT_RUN_IN_PROGRESS while one runs.
 */
export const handler = httpHandler(async (event, context) => {
  const nowMs = deps.clock.nowMs();
  return idempotent(async () => {
    const { month } = parseBody(event, SettlementRunRequestSchema);
    return json(202, await startSettlementRun(deps, callerOf(event), month, nowMs));
  })(event, context);
});
