import type { ApiKeyStore, Credentials, ParticipantStore } from "../ports";
import type { Caller } from "./roles";

export interface AuthenticatePorts {
  credentials: Credentials;
  apiKeys: ApiKeyStore;
  participants: ParticipantStore;
}

/** Why a presented key is not accepted (the caller is told only "401"; the log says which). */
export type KeyRefusal = "missing key" | "unknown key" | "revoked key" | "participant not approved";

/**
 * R-AUTH: the caller a presented API key speaks for. The key is looked up by its hash; a revoked
 * key, and the key of a participant that is not approved (suspended, rejected), are refused, so
 * a suspension stops the key at once (D-22: the status is read on every request).
 */
export async function authenticate(
  ports: AuthenticatePorts,
  presentedKey: string | undefined,
): Promise<{ caller: Caller } | { refused: KeyRefusal }> {
  if (presentedKey === undefined) return { refused: "missing key" };
  const record = await ports.apiKeys.findByHash(ports.credentials.hashApiKey(presentedKey));
  if (record === undefined) return { refused: "unknown key" };
  if (record.status !== "active") return { refused: "revoked key" };
  if (record.role === "participant") {
    const participant = await ports.participants.get(record.principalId);
    if (participant?.status !== "approved") return { refused: "participant not approved" };
  }
  return { caller: { role: record.role, principalId: record.principalId } };
}
