import { createHash, randomBytes } from "node:crypto";

/**
 * API keys are 256-bit random strings shown once; only their SHA-256 is stored (R-AUTH). A fast
 * hash is enough because the keys are random and long, unlike passwords: there is nothing to
 * guess, so there is nothing for a slow hash to slow down.
 */
const KEY_PREFIX = "btr_";

export function generateApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/** The lookup key of a presented API key: lowercase hex SHA-256 of its UTF-8 bytes. */
export function hashApiKey(apiKey: string): string {
  return createHash("sha256").update(apiKey, "utf8").digest("hex");
}
