import { curtailmentIndex } from "../../core/use-cases/post-trade-reads";
import { deps } from "../../runtime/deps";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { CurtailmentIndexQuerySchema } from "../schemas/post-trade";

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
