import { uploadStatus } from "../../core/use-cases/post-trade-inputs";
import { deps } from "../../runtime/deps";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { MeterUploadPathSchema } from "../schemas/post-trade";

/** GET /meter-uploads/{uploadId} (its owner; the operator any): status and outcome (D-232). */
export const handler = httpHandler(async (event) => {
  const id = pathId(event, "uploadId", MeterUploadPathSchema.shape.uploadId, "The upload");
  return json(200, await uploadStatus(deps, callerOf(event), id));
});
