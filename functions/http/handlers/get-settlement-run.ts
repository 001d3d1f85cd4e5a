import { getSettlementRun } from "../../core/use-cases/settlement";
import { deps } from "../../runtime/deps";
import { httpHandler } from "../middleware/http-handler";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { settlementRunId } from "../schemas/post-trade";

/** GET /settlement-runs/{settlementRunId} (operator): status, statements, failure if it failed. */
export const handler = httpHandler(async (event) => {
  const id = pathId(event, "settlementRunId", settlementRunId, "The settlement run");
  return json(200, await getSettlementRun(deps, id));
});
