import { transientFault as dynamoTransientFault } from "../adapters/dynamo-errors";

/**
 * Whether an error that reached a driving adapter (an HTTP handler, a workflow step, a consumer)
 * is a transient fault of the infrastructure — contention or throttling that outlived the
 * adapters' retries — rather than a refusal or a bug. The HTTP layer answers these 503 with
 * Retry-After (D-32). Decided here, by the layer that knows which infrastructure runs.
 */
export function transientFault(error: unknown): "contention" | "throttling" | "outage" | undefined {
  return dynamoTransientFault(error) ?? (outage(error) ? "outage" : undefined);
}

/** Socket-level failures: the service could not be reached at all. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/**
 * D-145: the database (or another AWS service) is down or unreachable — a refused or reset
 * connection, a socket timeout, or the service's own 5xx after the SDK's retries. Nothing was
 * decided, so the answer is 503 with Retry-After, never a 500.
 */
export function outage(error: unknown): boolean {
  const { code, name, $metadata } = (error ?? {}) as {
    code?: unknown;
    name?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
  if (name === "TimeoutError" || name === "RequestTimeout") return true;
  if (name === "InternalServerError" || name === "ServiceUnavailable") return true;
  return ($metadata?.httpStatusCode ?? 0) >= 500;
}
