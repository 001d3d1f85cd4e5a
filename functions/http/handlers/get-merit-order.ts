import { assertSchemeAccess } from "../../core/access/scheme-access";
import { meritOrderOf } from "../../core/use-cases/market-queries";
import { segmentView } from "../../core/use-cases/views";
import { deps } from "../../runtime/deps";
import { callerOf } from "../auth/caller";
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
  // D-195: another scheme than the ANM key's is 404, exactly as an unknown scheme.
  assertSchemeAccess(
    callerOf(event),
    anmSchemeId,
    `A merit order for ${anmSchemeId} ${deliveryDate} ${constraintId}`,
  );
  const { base, published } = await meritOrderOf(deps, anmSchemeId, deliveryDate, constraintId);
  return json(200, {
    anmSchemeId,
    deliveryDate,
    constraintId,
    status: published ? "published" : "provisional",
    version: published ? published.version : 0,
    ...(base.version === undefined ? {} : { baseVersion: base.version }),
    fallback: published ? published.fallback : false,
    base: { entries: base.entries },
    segments: published ? published.segments.map(segmentView) : [],
  });
});
