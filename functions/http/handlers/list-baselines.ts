import { listBaselines } from "../../core/use-cases/post-trade-reads";
import { deps } from "../../runtime/deps";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { BaselinesQuerySchema } from "../schemas/post-trade";

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
