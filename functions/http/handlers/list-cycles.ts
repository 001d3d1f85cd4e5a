import { marketDeps } from "../../runtime/market-deps";
import { cycleView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { DeliveryDateQuerySchema } from "../schemas/market";

/** GET /cycles (operator): the cycles of a delivery day, oldest first. */
export const handler = httpHandler(async (event) => {
  const { deliveryDate } = parseQuery(event, DeliveryDateQuerySchema);
  const cycles = await marketDeps.repositories.cycles.listCycles(deliveryDate);
  return json(200, { items: cycles.sort((a, b) => a.createdAtMs - b.createdAtMs).map(cycleView) });
});
