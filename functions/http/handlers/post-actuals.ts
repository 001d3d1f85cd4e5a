import { assertSchemeAccess } from "../../core/access/scheme-access";
import { ActualsBodySchema } from "../../core/performance/actuals";
import { submitActuals } from "../../core/use-cases/post-trade-inputs";
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
 * POST /anm/actuals (anm, operator): R-PERF-1 once the day has ended. `actualsId` is the
 * idempotency key within the scheme (the same body answers the first receipt, another 409
 * ACTUALS_CONFLICT); `Idempotency-Key` is honoured as on every write.
 */
export const handler = httpHandler(async (event, context) => {
  const receivedAtMs = deps.clock.nowMs();
  return idempotent(async () => {
    const body = parseBody(event, ActualsBodySchema);
    const caller = callerOf(event);
    // D-195: another scheme than the ANM key's is 404, exactly as an unknown scheme.
    assertSchemeAccess(caller, body.anmSchemeId);
    const { answer } = await submitActuals(deps, caller, body, receivedAtMs);
    return json(202, answer);
  })(event, context);
});
