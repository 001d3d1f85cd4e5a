import { listAssets } from "../../core/access/queries";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { AssetListQuerySchema } from "../schemas/asset-inputs";

const deps = ports.compose({ assets: ports.assets });

/** GET /assets (participant: its own; operator: all), oldest first. */
export const handler = httpHandler(async (event) => {
  const { limit, nextToken } = parseQuery(event, AssetListQuerySchema);
  return json(200, await listAssets(deps, callerOf(event), { limit, nextToken }));
});
