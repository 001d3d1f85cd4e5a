import { listMeterReadings } from "../../core/use-cases/post-trade-reads";
import { deps } from "../../runtime/deps";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { MeterReadingsQuerySchema } from "../schemas/post-trade";

/** GET /meter-readings?entryId=&deliveryDate=&direction= (R-PERF-2): the readings that count. */
export const handler = httpHandler(async (event) => {
  const query = parseQuery(event, MeterReadingsQuerySchema);
  return json(200, await listMeterReadings(deps, callerOf(event), query, deps.clock.nowMs()));
});
