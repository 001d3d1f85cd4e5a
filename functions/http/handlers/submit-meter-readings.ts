import {
  MeterReadingsBodySchema,
  meterUploadOfJson,
  parseMeterCsvUpload,
} from "../../core/performance/meter-readings";
import { submitMeterReadings, submitUpload } from "../../core/use-cases/post-trade-inputs";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { jsonOf, jsonOrCsvBody, validate } from "../middleware/parse-body";
import { json } from "../responses";
import { MeterUploadReferenceSchema } from "../schemas/post-trade-inputs";

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
 * POST /meter-readings (participant: own entries; operator: any, as a correction): R-PERF-2 as
 * `application/json` (readings, or `{ "uploadId" }` of a file put to a pre-signed upload) or
 * `text/csv` (paths `line <n>.<column>`); 415 for other types. 201 with the upload's days and
 * whether each counts for settlement; the same upload again answers the first result. A
 * pre-signed upload is processed by the bucket's event (D-232): 202 `processing` until then.
 */
/** A 202 `processing` is asked again for the outcome: the key is not held to it (D-232). */
const PROCESSING_IS_PROGRESS = { remember: (r: { statusCode: number }) => r.statusCode !== 202 };

export const handler = httpHandler(async (event, context) => {
  const receivedAtMs = deps.clock.nowMs();
  return idempotent(async () => {
    const caller = callerOf(event);
    const body = jsonOrCsvBody(event);
    if (body.type === "csv") {
      const parsed = parseMeterCsvUpload(body.text);
      return json(201, (await submitMeterReadings(deps, caller, parsed, receivedAtMs)).answer);
    }
    const value = jsonOf(body.text);
    if (value !== null && typeof value === "object" && "uploadId" in value) {
      const { uploadId } = validate(value, MeterUploadReferenceSchema);
      const held = await submitUpload(deps, caller, uploadId);
      return json(held.status === "processing" ? 202 : 201, held.answer);
    }
    const parsed = meterUploadOfJson(validate(value, MeterReadingsBodySchema));
    return json(201, (await submitMeterReadings(deps, caller, parsed, receivedAtMs)).answer);
  }, PROCESSING_IS_PROGRESS)(event, context);
});
