import { NotFoundError } from "../errors";
import { recordInstant } from "../model/settlement-periods";
import type { AssetStore, Clock } from "../ports";
import { type Asset, type AssetDecision, nextAssetStatus } from "./asset";
import {
  type BrakePorts,
  type BrakeScope,
  brakeCancellation,
  cancelTheRest,
  openOrdersStopped,
} from "./order-brakes";
import type { Actor } from "./roles";

export interface DecideAssetPorts extends BrakePorts {
  clock: Clock;
  assets: AssetStore;
}

/**
 * `POST /assets/{assetId}/decision` (operator): qualify or reject (D-19). Rejecting releases the
 * asset's MOL entry claims in the same transaction, so another asset may claim them, and stops
 * the asset's trading (D-136): its entries' open orders in live cycles are cancelled — with the
 * decision when they fit in its transaction, the rest right after in batches.
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
  const nowMs = ports.clock.nowMs();
  const at = recordInstant(nowMs);
  const scope: BrakeScope = {
    kind: "asset",
    anmSchemeId: asset.anmSchemeId,
    entryIds: asset.molEntryIds,
  };
  const cancellation =
    to === "rejected"
      ? brakeCancellation(
          await openOrdersStopped(ports, asset.participantId, scope),
          nowMs,
          at,
          actor,
          `asset ${asset.assetId} rejected`,
        )
      : undefined;
  const { asset: updated, cancelled } = await ports.assets.changeStatus(
    asset,
    {
      from: asset.status,
      to,
      action: `asset.${to}`,
      ...(decision.reason === undefined ? {} : { reason: decision.reason }),
      at,
      actor,
    },
    cancellation,
  );
  if (cancellation) await cancelTheRest(ports, asset.participantId, scope, cancellation, cancelled);
  return updated;
}
