import { recordInstant } from "../model/settlement-periods";
import type { AssetStore, Clock, IdGenerator } from "../ports";
import type { Asset, AssetRegistration } from "./asset";
import type { Actor } from "./roles";

export interface RegisterAssetPorts {
  clock: Clock;
  ids: IdGenerator;
  assets: AssetStore;
}

/**
 * `POST /assets` (participant): a pending asset of the caller, its MOL entries claimed in its ANM
 * scheme at once; an entry held by another asset that is not rejected is 409
 * `ENTRY_ALREADY_CLAIMED` and nothing is stored (D-19).
 */
export function registerAsset(
  ports: RegisterAssetPorts,
  participantId: string,
  registration: AssetRegistration,
  actor: Actor,
): Promise<Asset> {
  return ports.assets.register({
    assetId: ports.ids.newId("asset"),
    participantId,
    registration,
    at: recordInstant(ports.clock.nowMs()),
    actor,
  });
}
