import type { ApiKeyStore, Clock, Credentials, ParticipantStore } from "../ports";
import type { Caller } from "./roles";

export interface AuthenticatePorts {
  clock: Clock;
  credentials: Credentials;
  apiKeys: ApiKeyStore;
  participants: Pick<ParticipantStore, "keyState">;
}

/** Why a presented key is not accepted (the caller is told only "401"; the log says which). */
export type KeyRefusal =
  | "missing key"
  | "unknown key"
  | "revoked key"
  | "participant not approved"
  | "not the participant's current key";

/**
 * R-AUTH: the caller a presented API key speaks for. The key is looked up by its hash (a
 * DynamoDB key lookup: no string comparison of secrets, so nothing to time); a revoked key is
 * refused, and so is the key of a participant that is not approved (suspended, rejected) or that
 * is no longer the participant's current key (rotated away or re-issued, D-198). Both reads are
 * strongly consistent, so a revocation, suspension, rotation or re-issue stops the key at its
 * next request (D-22). The key's last use is recorded to the minute (D-197).
 */
export async function authenticate(
  ports: AuthenticatePorts,
  presentedKey: string | undefined,
): Promise<{ caller: Caller } | { refused: KeyRefusal }> {
  if (presentedKey === undefined) return { refused: "missing key" };
  const keyHash = ports.credentials.hashApiKey(presentedKey);
  const record = await ports.apiKeys.findByHash(keyHash);
  if (record === undefined) return { refused: "unknown key" };
  if (record.status !== "active") return { refused: "revoked key" };
  if (record.role === "participant") {
    const state = await ports.participants.keyState(record.principalId);
    if (state?.status !== "approved") return { refused: "participant not approved" };
    if (state.currentKeyHash !== undefined && state.currentKeyHash !== keyHash)
      return { refused: "not the participant's current key" };
  }
  await ports.apiKeys.touch(keyHash, ports.clock.nowMs());
  return {
    caller: {
      role: record.role,
      principalId: record.principalId,
      keyId: record.keyId,
      ...(record.anmSchemeId === undefined ? {} : { anmSchemeId: record.anmSchemeId }),
    },
  };
}
