import { transientFault as dynamoTransientFault } from "../adapters/dynamo-errors";

/**
 * Whether an error that reached a driving adapter (an HTTP handler, a workflow step, a consumer)
 * is a transient fault of the infrastructure — contention or throttling that outlived the
 * adapters' retries — rather than a refusal or a bug. The HTTP layer answers these 503 with
 * Retry-After (D-32). Decided here, by the layer that knows which infrastructure runs.
 */
export function transientFault(error: unknown): "contention" | "throttling" | undefined {
  return dynamoTransientFault(error);
}
