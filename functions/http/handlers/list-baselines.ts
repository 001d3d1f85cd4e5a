import { listBaselines } from "../../core/use-cases/post-trade-reads";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { BaselinesQuerySchema } from "../schemas/post-trade-inputs";

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

/** GET /baselines?deliveryDate=&entryId= (participant: own; operator): R-PERF-3..5 baselines. */
export const handler = httpHandler(async (event) => {
  const { deliveryDate, entryId, limit, nextToken } = parseQuery(event, BaselinesQuerySchema);
  const page = await listBaselines(
    deps,
    callerOf(event),
    { deliveryDate, entryId },
    deps.clock.nowMs(),
    { limit, nextToken },
  );
  return json(200, page);
});
