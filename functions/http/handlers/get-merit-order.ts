import { assertSchemeAccess } from "../../core/access/scheme-access";
import { toUtcIso } from "../../core/model/settlement-periods";
import { meritOrderOf } from "../../core/use-cases/market-queries";
import { topologyVersionView } from "../../core/use-cases/topology-changes";
import { segmentView } from "../../core/use-cases/views";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { MeritOrderQuerySchema } from "../schemas/market-inputs";

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
 * GET /anm/merit-order (anm, operator): the MOL of one constraint for a scheme's delivery day as
 * received (`base`), and once published the re-ordered segments with recalculated curtailment;
 * `version=` reads an older version (R-REORDER-6). A version a topology change published shows
 * `base` as the MOL in force after the change (R-VERIFY-5) and the same view the offline
 * simulation gives.
 */
export const handler = httpHandler(async (event) => {
  const { anmSchemeId, deliveryDate, constraintId, version } = parseQuery(
    event,
    MeritOrderQuerySchema,
  );
  // D-195: another scheme than the ANM key's is 404, exactly as an unknown scheme.
  assertSchemeAccess(
    callerOf(event),
    anmSchemeId,
    `A merit order for ${anmSchemeId} ${deliveryDate} ${constraintId}`,
  );
  const { base, published } = await meritOrderOf(
    deps,
    anmSchemeId,
    deliveryDate,
    constraintId,
    version,
  );
  if (published?.topologyChangeId) {
    const view = await topologyVersionView(
      deps,
      anmSchemeId,
      deliveryDate,
      constraintId,
      published.version,
    );
    if (view) return json(200, { ...view, fallback: false });
  }
  return json(200, {
    anmSchemeId,
    deliveryDate,
    constraintId,
    status: published ? "published" : "provisional",
    version: published ? published.version : 0,
    ...(base.version === undefined ? {} : { baseVersion: base.version }),
    fallback: published ? published.fallback : false,
    ...(published
      ? {
          reason: published.reason ?? (published.fallback ? "fallback" : "day-ahead"),
          supersedesVersion: published.supersedesVersion ?? null,
          ...(published.topologyChangeId ? { topologyChangeId: published.topologyChangeId } : {}),
          cancelledTradeIds: published.cancelledTradeIds ?? [],
          publishedAt: toUtcIso(published.publishedAtMs),
        }
      : {}),
    base: { entries: base.entries },
    segments: published ? published.segments.map(segmentView) : [],
  });
});
