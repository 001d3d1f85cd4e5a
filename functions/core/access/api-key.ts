import { createHash } from "node:crypto";
import type { Role } from "./roles";

/** An issued API key as stored: the hash only, never the key (R-AUTH, D-20). */
export interface ApiKeyRecord {
  /** Lowercase hex SHA-256 of the key. */
  readonly keyHash: string;
  /** The key's public id ({@link keyIdOf}): what lists, revocations and audit records name. */
  readonly keyId: string;
  readonly role: Role;
  /**
   * Who the key speaks for: a participant id; `operator`; `anm` for the local bootstrap ANM key,
   * `anm:<anmSchemeId>` for an ANM key bound to a scheme (D-195).
   */
  readonly principalId: string;
  readonly status: "active" | "revoked";
  /** ISO 8601 UTC. */
  readonly createdAt: string;
  /** The person or system an operator or ANM key was issued to (D-196). */
  readonly name?: string;
  /** ANM keys: the scheme the key is bound to (D-195); absent for the local bootstrap key. */
  readonly anmSchemeId?: string;
  /** When the key was last accepted, to the minute (D-197). */
  readonly lastUsedAt?: string;
  readonly revokedAt?: string;
}

/** The shape `POST /registrations` gives a claim secret: `cls_` and 256 bits in base64url (D-20). */
export const CLAIM_SECRET_PATTERN = /^cls_[A-Za-z0-9_-]{43}$/;

/**
 * D-149: a claim secret works for 30 days after it was issued (at registration, or at the
 * operator's re-issue, D-198); later, even the right secret is refused (409 `CLAIM_SECRET_EXPIRED`), so a secret leaked from an old e-mail or log is useless.
 */
export const CLAIM_SECRET_LIFETIME_MS = 30 * 24 * 3_600_000;
/** The shape of a key id: `key-` and 20 hex digits. */
export const KEY_ID_PATTERN = /^key-[0-9a-f]{20}$/;

/**
 * D-196: a key's public id, derived from its hash (80 bits of SHA-256 over the hash): stable, so
 * every stored key has one, and it reveals nothing of the key (the key is 256 random bits and
 * the id is a hash of its hash).
 */
export function keyIdOf(keyHash: string): string {
  return `key-${createHash("sha256").update(`key-id:${keyHash}`, "utf8").digest("hex").slice(0, 20)}`;
}

/** The principal of an ANM key bound to a scheme (D-195). */
export function anmPrincipalOf(anmSchemeId: string | undefined): string {
  return anmSchemeId === undefined ? "anm" : `anm:${anmSchemeId}`;
}

/** A new active key's record from its hash and who it speaks for. */
export function newKeyRecord(
  keyHash: string,
  fields: Omit<ApiKeyRecord, "keyHash" | "keyId" | "status">,
): ApiKeyRecord {
  return { keyHash, keyId: keyIdOf(keyHash), status: "active", ...fields };
}
