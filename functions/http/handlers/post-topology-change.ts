import type { APIGatewayProxyEvent } from "aws-lambda";
import { assertSchemeAccess } from "../../core/access/scheme-access";
import { receiveTopologyChange } from "../../core/use-cases/topology-changes";
import { TopologyChangeBodySchema } from "../../core/verification/topology-change";
import * as ports from "../../runtime/ports";
import { actorOf, callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { json } from "../responses";

const deps = ports.compose({
  clock: ports.clock,
  participants: ports.participants,
  assets: ports.assets,
  claims: ports.claims,
  schemes: ports.schemes,
  cycles: ports.cycles,
  markets: ports.markets,
  trades: ports.trades,
  meritOrders: ports.meritOrders,
  topologyChanges: ports.topologyChanges,
  alerts: ports.alerts,
});

/**
 * POST /anm/topology-changes (anm of the scheme, operator): R-VERIFY-1..7. Shape errors 400,
 * rule faults 422 TOPOLOGY_CHANGE_INVALID (nothing stored); 201 with the change's result, 200
 * with the same result on a replay of the same id and body. The receive time is taken before
 * anything else (R-VERIFY-3 counts from it).
 */
export const handler = httpHandler(async (event, context) => {
  const receivedAtMs = deps.clock.nowMs();
  return idempotent(async () => accept(event, receivedAtMs))(event, context);
});

async function accept(event: APIGatewayProxyEvent, receivedAtMs: number) {
  const body = parseBody(event, TopologyChangeBodySchema);
  // D-195: a key bound to another scheme is told nothing: 404, as for an unknown scheme.
  assertSchemeAccess(callerOf(event), body.anmSchemeId);
  const { created, result } = await receiveTopologyChange(deps, body, receivedAtMs, actorOf(event));
  return json(created ? 201 : 200, result);
}
