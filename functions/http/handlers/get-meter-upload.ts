import { uploadStatus } from "../../core/use-cases/post-trade-inputs";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { MeterUploadPathSchema } from "../schemas/post-trade-inputs";

const deps = ports.compose({
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

/** GET /meter-uploads/{uploadId} (its owner; the operator any): status and outcome (D-232). */
export const handler = httpHandler(async (event) => {
  const id = pathId(event, "uploadId", MeterUploadPathSchema.shape.uploadId, "The upload");
  return json(200, await uploadStatus(deps, callerOf(event), id));
});
