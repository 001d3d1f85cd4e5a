import { NotFoundError } from "../errors";
import type { Page, PageRequest } from "../model/paging";
import type { AssetStore, AuditTrail, ParticipantStore } from "../ports";
import type { Asset } from "./asset";
import type { AuditRecord } from "./audit";
import type { Participant, ParticipantStatus } from "./participant";
import type { Caller } from "./roles";

/**
 * What the access routes read. A participant sees only its own records; anything else is
 * reported exactly as a missing one (404), so ids of others cannot be probed.
 */

/** `GET /participants/{id}` (operator) and `GET /me` (the caller's own record). */
export async function getParticipant(
  ports: { participants: ParticipantStore },
  participantId: string,
): Promise<Participant> {
  const participant = await ports.participants.get(participantId);
  if (participant === undefined) throw new NotFoundError("The participant");
  return participant;
}

/** `GET /participants?status=` (operator), oldest registration first. */
export function listParticipants(
  ports: { participants: ParticipantStore },
  status: ParticipantStatus | undefined,
  page: PageRequest,
): Promise<Page<Participant>> {
  return ports.participants.list(status, page);
}

/** `GET /assets/{id}`: a participant's own asset, or any asset for the operator. */
export async function getAsset(
  ports: { assets: AssetStore },
  caller: Caller,
  assetId: string,
): Promise<Asset> {
  const asset = await ports.assets.get(assetId);
  if (
    asset === undefined ||
    (caller.role !== "operator" && asset.participantId !== caller.principalId)
  )
    throw new NotFoundError("The asset");
  return asset;
}

/** `GET /assets`: a participant's own assets, or every asset for the operator; oldest first. */
export function listAssets(
  ports: { assets: AssetStore },
  caller: Caller,
  page: PageRequest,
): Promise<Page<Asset>> {
  return ports.assets.list(caller.role === "operator" ? undefined : caller.principalId, page);
}

/** `GET /audit?subject=` (operator): the append-only records of one subject, or all. */
export function listAuditRecords(
  ports: { audit: AuditTrail },
  subject: string | undefined,
  page: PageRequest,
): Promise<Page<AuditRecord>> {
  return ports.audit.list(subject, page);
}
