import { assertSchemeAccess } from "../../core/access/scheme-access";
import { getActuals } from "../../core/use-cases/post-trade-reads";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { ActualsQuerySchema } from "../schemas/post-trade-inputs";

const deps = ports.compose({
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

/** GET /anm/actuals?anmSchemeId=&deliveryDate= (anm, operator): the values held (R-PERF-1). */
export const handler = httpHandler(async (event) => {
  const query = parseQuery(event, ActualsQuerySchema);
  // D-195: another scheme than the ANM key's is 404, exactly as an unknown scheme.
  assertSchemeAccess(
    callerOf(event),
    query.anmSchemeId,
    `A published day-ahead for ${query.anmSchemeId} on ${query.deliveryDate}`,
  );
  return json(200, await getActuals(deps, query));
});
