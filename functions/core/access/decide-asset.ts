import { NotFoundError } from "../errors";
import { recordInstant } from "../model/settlement-periods";
import type { AssetStore, Clock } from "../ports";
import { type Asset, type AssetDecision, nextAssetStatus } from "./asset";
import type { Actor } from "./roles";

export interface DecideAssetPorts {
  clock: Clock;
  assets: AssetStore;
}

/**
 * `POST /assets/{assetId}/decision` (operator): qualify or reject (D-19). Rejecting releases the
 * asset's MOL entry claims in the same transaction, so another asset may claim them.
 */
export async function decideAsset(
  ports: DecideAssetPorts,
  assetId: string,
  decision: { decision: AssetDecision; reason?: string | undefined },
  actor: Actor,
): Promise<Asset> {
  const asset = await ports.assets.get(assetId);
  if (asset === undefined) throw new NotFoundError("The asset");
  const to = nextAssetStatus(asset.status, decision.decision);
  return ports.assets.changeStatus(asset, {
    from: asset.status,
    to,
    action: `asset.${to}`,
    ...(decision.reason === undefined ? {} : { reason: decision.reason }),
    at: recordInstant(ports.clock.nowMs()),
    actor,
  });
}
