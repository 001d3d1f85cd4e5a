import type { Role } from "./roles";

/** An issued API key as stored: the hash only, never the key (R-AUTH, D-20). */
export interface ApiKeyRecord {
  /** Lowercase hex SHA-256 of the key. */
  readonly keyHash: string;
  readonly role: Role;
  /** Who the key speaks for: a participant id, or the role name for operator and ANM keys. */
  readonly principalId: string;
  readonly status: "active" | "revoked";
  /** ISO 8601 UTC. */
  readonly createdAt: string;
}

/** The shape `POST /registrations` gives a claim secret: `cls_` and 256 bits in base64url (D-20). */
export const CLAIM_SECRET_PATTERN = /^cls_[A-Za-z0-9_-]{43}$/;

/**
 * D-149: a claim secret works for 30 days after registration; later, even the right secret is
 * refused (409 `CLAIM_SECRET_EXPIRED`), so a secret leaked from an old e-mail or log is useless.
 */
export const CLAIM_SECRET_LIFETIME_MS = 30 * 24 * 3_600_000;
