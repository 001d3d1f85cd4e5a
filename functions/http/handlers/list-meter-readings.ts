import { listMeterReadings } from "../../core/use-cases/post-trade-reads";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { MeterReadingsQuerySchema } from "../schemas/post-trade-inputs";

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

/** GET /meter-readings?entryId=&deliveryDate=&direction= (R-PERF-2): the readings that count. */
export const handler = httpHandler(async (event) => {
  const query = parseQuery(event, MeterReadingsQuerySchema);
  return json(200, await listMeterReadings(deps, callerOf(event), query, deps.clock.nowMs()));
});
