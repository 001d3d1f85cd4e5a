import type { EntryClaim } from "../opportunities/derive";
import type { AssetStore, EntryClaimStore, ParticipantStore } from "../ports";
import type { Asset, EntryClaimRecord } from "./asset";
import type { Participant } from "./participant";

/**
 * R-ELIG-1 input of the day-ahead cycle: the claimed entries whose asset is qualified and whose
 * participant is approved, with the asset's flexible-service windows (D-16). Claims of other
 * assets, or of assets not found, are left out.
 */
export function eligibleEntryClaims(
  claims: ReadonlyArray<EntryClaimRecord>,
  assets: ReadonlyArray<Asset>,
  participants: ReadonlyArray<Participant>,
): EntryClaim[] {
  const qualified = new Map(
    assets.filter((asset) => asset.status === "qualified").map((asset) => [asset.assetId, asset]),
  );
  const approved = new Set(
    participants.filter((p) => p.status === "approved").map((p) => p.participantId),
  );
  const out: EntryClaim[] = [];
  for (const claim of claims) {
    const asset = qualified.get(claim.assetId);
    if (asset === undefined || !approved.has(asset.participantId)) continue;
    out.push({
      entryId: claim.entryId,
      participantId: asset.participantId,
      assetId: asset.assetId,
      flexibleServiceWindows: (asset.flexibleServiceContracts ?? []).map((contract) => ({
        startMs: Date.parse(contract.start),
        endMs: Date.parse(contract.end),
      })),
    });
  }
  return out;
}

/** R-ELIG-1 claims of a scheme, read through the ports (one query and two batch reads). */
export async function eligibleClaimsOfScheme(
  ports: {
    claims: EntryClaimStore;
    assets: Pick<AssetStore, "getMany">;
    participants: Pick<ParticipantStore, "getMany">;
  },
  anmSchemeId: string,
): Promise<EntryClaim[]> {
  const claims = await ports.claims.claimsOfScheme(anmSchemeId);
  const assets = await ports.assets.getMany(claims.map((claim) => claim.assetId));
  const qualified = assets.filter((asset) => asset.status === "qualified");
  const participants = await ports.participants.getMany(qualified.map((a) => a.participantId));
  return eligibleEntryClaims(claims, qualified, participants);
}

/**
 * The participant whose asset (not rejected) claims the entry in the scheme, if any: an entry
 * the caller does not claim is a 404 to it, its own ineligible entry a 422.
 */
export async function entryOwner(
  ports: { claims: EntryClaimStore; assets: Pick<AssetStore, "get"> },
  anmSchemeId: string,
  entryId: string,
): Promise<string | undefined> {
  const claim = await ports.claims.claimOf(anmSchemeId, entryId);
  if (claim === undefined) return undefined;
  const asset = await ports.assets.get(claim.assetId);
  return asset && asset.status !== "rejected" ? asset.participantId : undefined;
}
