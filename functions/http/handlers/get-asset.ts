import { deps } from "../../runtime/deps";
import { notFound, pathId } from "../access/request";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { json } from "../responses";
import { assetId } from "../schemas/asset";

/** GET /assets/{assetId} (participant: its own, anything else 404; operator: any). */
export const handler = httpHandler(async (event) => {
  const { role, principalId } = callerOf(event);
  const id = pathId(event, "assetId", assetId, "The asset");
  const asset = await deps.assets.get(id);
  if (asset === undefined || (role !== "operator" && asset.participantId !== principalId)) {
    throw notFound("The asset");
  }
  return json(200, asset);
});
