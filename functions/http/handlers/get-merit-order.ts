import { NotFoundError } from "../../core/errors";
import { segmentView } from "../../core/use-cases/views";
import { marketDeps } from "../../runtime/market-deps";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { MeritOrderQuerySchema } from "../schemas/market";

/**
 * GET /anm/merit-order (anm, operator): the MOL of one constraint for a scheme's delivery day as
 * received (`base`), and once published the re-ordered segments with recalculated curtailment.
 */
export const handler = httpHandler(async (event) => {
  const { anmSchemeId, deliveryDate, constraintId } = parseQuery(event, MeritOrderQuerySchema);
  const { cycles, meritOrders } = marketDeps.repositories;
  const current = await cycles.currentCycle(anmSchemeId, deliveryDate);
  const body = current && (await cycles.loadLookAhead(current.cycleId));
  const mol = body?.mols.find((m) => m.constraintId === constraintId);
  if (!body?.constraints.some((c) => c.constraintId === constraintId))
    throw new NotFoundError(`A merit order for ${anmSchemeId} ${deliveryDate} ${constraintId}`);
  const published = await meritOrders.latest(anmSchemeId, deliveryDate, constraintId);
  const isPublished = published !== undefined && published.cycleId === current!.cycleId;
  return json(200, {
    anmSchemeId,
    deliveryDate,
    constraintId,
    status: isPublished ? "published" : "provisional",
    version: isPublished ? published.version : 0,
    ...(mol?.version === undefined ? {} : { baseVersion: mol.version }),
    fallback: isPublished ? published.fallback : false,
    base: { entries: mol?.entries ?? [] },
    segments: isPublished ? published.segments.map(segmentView) : [],
  });
});
