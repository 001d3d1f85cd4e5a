import { NotFoundError } from "../../core/errors";
import { marketDeps } from "../../runtime/market-deps";
import { cycleView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { json } from "../responses";

/** GET /cycles/{cycleId} (operator): status, current step, failure (step, error, cause). */
export const handler = httpHandler(async (event) => {
  const cycleId = event.pathParameters?.cycleId ?? "";
  const cycle = await marketDeps.repositories.cycles.getCycle(cycleId);
  if (!cycle) throw new NotFoundError(`Cycle ${cycleId}`);
  return json(200, cycleView(cycle));
});
