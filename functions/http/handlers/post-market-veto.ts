import { mayActForScheme } from "../../core/access/scheme-access";
import { vetoMarket } from "../../core/use-cases/topology-changes";
import * as ports from "../../runtime/ports";
import { actorOf, callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { json } from "../responses";
import { MarketVetoBodySchema } from "../schemas/verification-inputs";

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
 * POST /anm/market-vetoes (anm of the scheme, operator): R-VERIFY-8. 201 with the veto's result,
 * 200 with the first result on a repeat; 409 VETO_DEADLINE_PASSED, 409 MARKET_NOT_VETOABLE, 404
 * for a market the caller may not see, all changing nothing.
 */
export const handler = httpHandler(async (event, context) => {
  const receivedAtMs = deps.clock.nowMs();
  return idempotent(async () => {
    const body = parseBody(event, MarketVetoBodySchema);
    const caller = callerOf(event);
    const { created, result } = await vetoMarket(
      deps,
      body,
      receivedAtMs,
      actorOf(event),
      (scheme) => mayActForScheme(caller, scheme),
    );
    return json(created ? 201 : 200, result);
  })(event, context);
});
