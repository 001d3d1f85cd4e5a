import { curtailmentIndex } from "../../core/use-cases/post-trade-reads";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { CurtailmentIndexQuerySchema } from "../schemas/post-trade-inputs";

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

/**
 * GET /curtailment-index?financialYear=&entryId= (participant: own entries; operator, anm: all):
 * R-CI rows of the year so far, per entry.
 */
export const handler = httpHandler(async (event) => {
  const { financialYear, entryId, limit, nextToken } = parseQuery(
    event,
    CurtailmentIndexQuerySchema,
  );
  const page = await curtailmentIndex(
    deps,
    callerOf(event),
    { financialYear, entryId },
    deps.clock.nowMs(),
    { limit, nextToken },
  );
  return json(200, page);
});
