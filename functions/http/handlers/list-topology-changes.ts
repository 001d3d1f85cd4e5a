import { assertSchemeAccess } from "../../core/access/scheme-access";
import { listTopologyChanges } from "../../core/use-cases/topology-changes";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { topologyChangeItemView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { TopologyChangesQuerySchema } from "../schemas/verification-inputs";

const deps = ports.compose({ topologyChanges: ports.topologyChanges });

/**
 * GET /anm/topology-changes (anm of the scheme, operator): a scheme-day's topology changes by
 * receive time, with their processing state (a failed one is visible here until it applies)
 * and, once applied, their result.
 */
export const handler = httpHandler(async (event) => {
  const { anmSchemeId, deliveryDate } = parseQuery(event, TopologyChangesQuerySchema);
  assertSchemeAccess(callerOf(event), anmSchemeId);
  const changes = await listTopologyChanges(deps, anmSchemeId, deliveryDate);
  return json(200, { items: changes.map(topologyChangeItemView) });
});
