import { deps } from "../../runtime/deps";
import { nextAssetStatus } from "../access/lifecycle";
import { actorOf, notFound, nowIso, pathId } from "../access/request";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { json } from "../responses";
import { AssetDecisionBodySchema, assetId } from "../schemas/asset";

/**
 * POST /assets/{assetId}/decision (operator) — qualify or reject (D-19). Rejecting releases the
 * asset's MOL entry claims in the same transaction, so another asset may claim them.
 */
export const handler = httpHandler(
  idempotent(async (event) => {
    const { decision, reason } = parseBody(event, AssetDecisionBodySchema);
    const id = pathId(event, "assetId", assetId, "The asset");
    const asset = await deps.assets.get(id);
    if (asset === undefined) throw notFound("The asset");
    const to = nextAssetStatus(asset.status, decision);
    const updated = await deps.assets.changeStatus({
      asset,
      to,
      action: `asset.${to}`,
      ...(reason === undefined ? {} : { reason }),
      at: nowIso(),
      actor: actorOf(event),
    });
    return json(200, updated);
  }),
);
