import { createUploadSession } from "../../core/use-cases/post-trade-inputs";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { json } from "../responses";
import { MeterUploadRequestSchema } from "../schemas/post-trade-inputs";

const deps = ports.compose({
  clock: ports.clock,
  ids: ports.ids,
  assets: ports.assets,
  claims: ports.claims,
  schemes: ports.schemes,
  cycles: ports.cycles,
  markets: ports.markets,
  orders: ports.orders,
  trades: ports.trades,
  meritOrders: ports.meritOrders,
  topologyChanges: ports.topologyChanges,
  actuals: ports.actuals,
  nominations: ports.nominations,
  meters: ports.meters,
  uploads: ports.uploads,
  bucket: ports.bucket,
});

/**
 * POST /meter-uploads (participant, operator): a pre-signed URL for a meter file over the API's
 * 1 MiB body limit (up to 100 MiB); the file is then submitted by `POST /meter-readings
 * { "uploadId" }` and checked exactly as a body.
 */
export const handler = httpHandler(async (event, context) => {
  const nowMs = deps.clock.nowMs();
  return idempotent(async () => {
    const request = parseBody(event, MeterUploadRequestSchema);
    return json(201, await createUploadSession(deps, callerOf(event), request, nowMs));
  })(event, context);
});
