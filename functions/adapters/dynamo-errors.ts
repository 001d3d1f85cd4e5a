import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { TemporarilyUnavailableError } from "../core/errors";

/**
 * Recognising DynamoDB's condition failures and transient faults without importing the error
 * classes everywhere. Returns, for a cancelled transaction, which of its items failed their
 * condition.
 */
export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === "ConditionalCheckFailedException";
}

function nameOf(error: unknown): unknown {
  return (error as { name?: unknown } | null)?.name;
}

/** Each item's cancellation code of a cancelled transaction ("None" if it was not the cause). */
export function cancellationCodes(error: unknown): string[] | undefined {
  const { CancellationReasons } = (error ?? {}) as {
    CancellationReasons?: Array<{ Code?: string } | null>;
  };
  if (nameOf(error) !== "TransactionCanceledException" || !Array.isArray(CancellationReasons))
    return undefined;
  return CancellationReasons.map((reason) => reason?.Code ?? "None");
}

/** Indexes of the transaction items whose condition failed; undefined if `error` is not that. */
export function failedConditions(error: unknown): number[] | undefined {
  const codes = cancellationCodes(error);
  if (!codes) return undefined;
  const failed: number[] = [];
  codes.forEach((code, index) => {
    if (code === "ConditionalCheckFailed") failed.push(index);
  });
  return failed.length > 0 ? failed : undefined;
}

/** Throttling answers the SDK has already retried (its standard strategy) before they surface. */
const THROTTLING_ERRORS = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
]);
/** Reasons in a cancelled transaction that mean "too busy", not "refused". */
const THROTTLING_REASONS = new Set([
  "ThrottlingError",
  "ProvisionedThroughputExceeded",
  "RequestLimitExceeded",
]);

/**
 * A transaction cancelled only because of contention (`TransactionConflict`: another request was
 * changing one of its items) or throttling of one of its items; never when an item's condition
 * failed (that is a refusal) or for validation faults. The SDK does not retry these itself.
 */
export function cancelledTransiently(error: unknown): "contention" | "throttling" | undefined {
  const codes = cancellationCodes(error);
  if (!codes || codes.includes("ConditionalCheckFailed")) return undefined;
  if (codes.some((code) => THROTTLING_REASONS.has(code))) return "throttling";
  if (codes.includes("TransactionConflict")) return "contention";
  return undefined;
}

/**
 * A DynamoDB error that would go away by itself: throttling (surfacing only after the SDK's own
 * retries), a write conflicting with a transaction in progress, or a transaction cancelled by
 * contention or throttling. The HTTP layer answers these 503 with Retry-After, never 500.
 */
export function transientFault(error: unknown): "contention" | "throttling" | undefined {
  const { code, reason } = (error ?? {}) as { code?: unknown; reason?: unknown };
  if (code === "TEMPORARILY_UNAVAILABLE") return reason === "contention" ? reason : "throttling";
  const name = nameOf(error);
  if (typeof name === "string" && THROTTLING_ERRORS.has(name)) return "throttling";
  if (name === "TransactionConflictException" || name === "TransactionInProgressException")
    return "contention";
  return cancelledTransiently(error);
}

/**
 * Runs a transactional write, retrying it while DynamoDB cancels it for contention or throttling,
 * with the client's own SDK retry strategy (its max attempts, exponential backoff with jitter and
 * retry quota; `AWS_MAX_ATTEMPTS` sets the bound). A cancelled transaction wrote nothing, so the
 * same write can be sent again. When the strategy gives up, and for throttling the SDK already
 * retried, throws {@link TemporarilyUnavailableError}; any other error is rethrown unchanged.
 */
export async function transactWithRetry<T>(
  client: DynamoDBDocumentClient,
  write: () => Promise<T>,
): Promise<T> {
  const strategy = await client.config.retryStrategy();
  if (!("acquireInitialRetryToken" in strategy)) {
    // A legacy (v1) strategy offers no tokens: one attempt, then the clean error.
    try {
      return await write();
    } catch (error) {
      const fault = transientFault(error);
      throw fault ? new TemporarilyUnavailableError(fault) : error;
    }
  }
  let token = await strategy.acquireInitialRetryToken("dynamodb:TransactWriteItems");
  for (;;) {
    try {
      const result = await write();
      strategy.recordSuccess(token);
      return result;
    } catch (error) {
      const cancelled = cancelledTransiently(error);
      if (!cancelled) {
        const fault = transientFault(error);
        throw fault ? new TemporarilyUnavailableError(fault) : error;
      }
      try {
        // Waits the backoff delay; throws when attempts or the retry quota are used up.
        token = await strategy.refreshRetryTokenForRetry(token, {
          errorType: cancelled === "throttling" ? "THROTTLING" : "TRANSIENT",
        });
      } catch {
        throw new TemporarilyUnavailableError(cancelled);
      }
    }
  }
}
