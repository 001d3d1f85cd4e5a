import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { ScheduledEvent } from "aws-lambda";
import { scheduledSettlement } from "../../core/use-cases/settlement";
import { logger } from "../../runtime/logger";
import * as ports from "../../runtime/ports";

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
 * CONSUMERS row ScheduleSettlement (hourly): starts the previous month's first settlement run
 * once its meter deadline has passed (R-SETTLE-7, D-227); every other tick does nothing.
 */
export const handler = middy<ScheduledEvent, { started?: string }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async () => {
    const outcome = await scheduledSettlement(deps, deps.clock.nowMs());
    if (outcome.started) logger.info("settlement run started by the schedule", outcome);
    return outcome;
  });
