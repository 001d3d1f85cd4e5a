import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

/**
 * Claim secrets (R-AUTH): shown once by `POST /registrations`, presented once to claim the API
 * key. Only a scrypt hash is stored, `scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>`, so a
 * copy of the table does not let anyone claim a participant's key. The secret is 256 random
 * bits; scrypt is belt and braces, and its parameters travel with the hash so they can be raised.
 */
const PREFIX = "cls_";
const PARAMS = { N: 2 ** 14, r: 8, p: 1 } as const;
const HASH_BYTES = 32;

/** Exactly the shape `generateClaimSecret` produces; anything else cannot match. */
export const CLAIM_SECRET_PATTERN = /^cls_[A-Za-z0-9_-]{43}$/;

export function generateClaimSecret(): string {
  return `${PREFIX}${randomBytes(32).toString("base64url")}`;
}

export async function hashClaimSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, PARAMS);
  return [
    "scrypt",
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString("base64url"),
    hash.toString("base64url"),
  ].join("$");
}

/** True when `secret` is the one `stored` was made from; constant time in the hash comparison. */
export async function verifyClaimSecret(secret: string, stored: string): Promise<boolean> {
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
