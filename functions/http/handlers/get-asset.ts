import { getAsset } from "../../core/access/queries";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { assetId } from "../schemas/asset-inputs";

const deps = ports.compose({ assets: ports.assets });

/** GET /assets/{assetId} (participant: its own, anything else 404; operator: any). */
export const handler = httpHandler(async (event) => {
  const id = pathId(event, "assetId", assetId, "The asset");
  return json(200, await getAsset(deps, callerOf(event), id));
});
