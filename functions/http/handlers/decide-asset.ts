import { decideAsset } from "../../core/access/decide-asset";
import * as ports from "../../runtime/ports";
import { actorOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { AssetDecisionBodySchema, assetId } from "../schemas/asset-inputs";

const deps = ports.compose({
  clock: ports.clock,
  assets: ports.assets,
  markets: ports.markets,
  orders: ports.orders,
});

/**
 * POST /assets/{assetId}/decision (operator) — qualify or reject (D-19). Rejecting releases the
 * asset's MOL entry claims in the same transaction, so another asset may claim them.
 */
export const handler = httpHandler(
  idempotent(async (event) => {
    const decision = parseBody(event, AssetDecisionBodySchema);
    const id = pathId(event, "assetId", assetId, "The asset");
    return json(200, await decideAsset(deps, id, decision, actorOf(event)));
  }),
);
