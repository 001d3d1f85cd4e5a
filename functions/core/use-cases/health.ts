import type { ApiKeyStore } from "../ports";

/** What `GET /health` reports (D-145). */
export interface HealthReport {
  readonly status: "ok" | "unavailable";
  readonly database: "ok" | "unreachable";
}

/** No key hashes to this (SHA-256 hex is never all zeros in practice): a read that finds nothing. */
const PROBE_KEY_HASH = "0".repeat(64);

/**
 * `GET /health`: the API runs and its database answers — one strongly consistent read by key that
 * finds nothing. A database that cannot be read makes the answer `unavailable` (HTTP 503).
 */
export async function checkHealth(ports: { apiKeys: ApiKeyStore }): Promise<HealthReport> {
  try {
    await ports.apiKeys.findByHash(PROBE_KEY_HASH);
    return { status: "ok", database: "ok" };
  } catch {
    return { status: "unavailable", database: "unreachable" };
  }
}
