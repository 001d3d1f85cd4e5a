import {
  MeterReadingsBodySchema,
  meterUploadOfJson,
  parseMeterCsvUpload,
} from "../../core/performance/meter-readings";
import { submitMeterReadings, submitUpload } from "../../core/use-cases/post-trade-inputs";
import { deps } from "../../runtime/deps";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { jsonOf, jsonOrCsvBody, validate } from "../middleware/parse-body";
import { json } from "../responses";
import { MeterUploadReferenceSchema } from "../schemas/post-trade";

/**
 * POST /meter-readings (participant: own entries; operator: any, as a correction): R-PERF-2 as
 * `application/json` (readings, or `{ "uploadId" }` of a file put to a pre-signed upload) or
 * `text/csv` (paths `line <n>.<column>`); 415 for other types. 201 with the upload's days and
 * whether each counts for settlement; the same upload again answers the first result.
 */
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
      return json(201, (await submitUpload(deps, caller, uploadId, receivedAtMs)).answer);
    }
    const parsed = meterUploadOfJson(validate(value, MeterReadingsBodySchema));
    return json(201, (await submitMeterReadings(deps, caller, parsed, receivedAtMs)).answer);
  })(event, context);
});
