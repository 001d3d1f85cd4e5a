import { createHash, randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";
import type { Credentials } from "../core/ports";

/**
 * API keys and claim secrets (R-AUTH, D-20), both 256 random bits shown once.
 *
 * - API keys (`btr_…`) are stored as SHA-256: a fast hash is enough because the keys are random
 *   and long, unlike passwords, so there is nothing to guess for a slow hash to slow down.
 * - Claim secrets (`cls_…`) are stored as scrypt, `scrypt$<N>$<r>$<p>$<salt>$<hash>` (base64url),
 *   so a copy of the table does not let anyone claim a participant's key; the parameters travel
 *   with the hash so that they can be raised.
 */
const API_KEY_PREFIX = "btr_";
const CLAIM_SECRET_PREFIX = "cls_";
const SCRYPT = { N: 2 ** 14, r: 8, p: 1 } as const;
const HASH_BYTES = 32;

export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/** The lookup key of a presented API key: lowercase hex SHA-256 of its UTF-8 bytes. */
export function hashApiKey(apiKey: string): string {
  return createHash("sha256").update(apiKey, "utf8").digest("hex");
}

function generateClaimSecret(): string {
  return `${CLAIM_SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
}

async function hashClaimSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, SCRYPT);
  return [
    "scrypt",
    SCRYPT.N,
    SCRYPT.r,
    SCRYPT.p,
    salt.toString("base64url"),
    hash.toString("base64url"),
  ].join("$");
}

async function verifyClaimSecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = await derive(secret, Buffer.from(salt, "base64url"), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function derive(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, HASH_BYTES, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** The {@link Credentials} port on node:crypto. */
export const cryptoCredentials: Credentials = {
  newApiKey: generateApiKey,
  hashApiKey,
  newClaimSecret: generateClaimSecret,
  hashClaimSecret,
  verifyClaimSecret,
};
