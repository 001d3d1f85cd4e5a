import type { Role } from "../http/auth/roles";

/**
 * Every DynamoDB key the platform writes is built here and nowhere else, so that item shapes,
 * access patterns and the indexes of TABLE_SPEC can be read in one place.
 *
 * | item | pk | sk |
 * |---|---|---|
 * | API key (hashed) | `APIKEY#<sha256 hex>` | `APIKEY` |
 * | bootstrap key pointer | `BOOTSTRAPKEY#<role>` | `BOOTSTRAPKEY` |
 */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

export const keys = {
  /** An API key, looked up by the hash of the presented key. */
  apiKey(keyHash: string): ItemKey {
    return { pk: `APIKEY#${keyHash}`, sk: "APIKEY" };
  },
  /** Which hash the operator/ANM key bootstrapped for a role currently has (replaced on rotation). */
  bootstrapKey(role: Role): ItemKey {
    return { pk: `BOOTSTRAPKEY#${role}`, sk: "BOOTSTRAPKEY" };
  },
} as const;
