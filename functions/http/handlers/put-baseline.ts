import { NominationBodySchema } from "../../core/performance/nominations";
import { putNomination } from "../../core/use-cases/post-trade-inputs";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { json } from "../responses";

const deps = ports.compose({
  clock: ports.clock,
  ids: ports.ids,
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
  uploads: ports.uploads,
  bucket: ports.bucket,
});

/**
 * PUT /baselines (participant: own entries): the day's nomination (R-PERF-3) before the baseline
 * deadline; replaces the earlier one under the next version. The receive time is taken first.
 */
export const handler = httpHandler(async (event, context) => {
  const receivedAtMs = deps.clock.nowMs();
  return idempotent(async () => {
    const body = parseBody(event, NominationBodySchema);
    return json(200, await putNomination(deps, callerOf(event), body, receivedAtMs));
  })(event, context);
});
