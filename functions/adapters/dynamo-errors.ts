/**
 * Recognising DynamoDB's condition failures without importing the error classes everywhere.
 * Returns, for a cancelled transaction, which of its items failed their condition.
 */
export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === "ConditionalCheckFailedException";
}

/** Indexes of the transaction items whose condition failed; undefined if `error` is not that. */
export function failedConditions(error: unknown): number[] | undefined {
  const { name, CancellationReasons } = (error ?? {}) as {
    name?: unknown;
    CancellationReasons?: Array<{ Code?: string }>;
  };
  if (name !== "TransactionCanceledException" || !Array.isArray(CancellationReasons))
    return undefined;
  const failed: number[] = [];
  CancellationReasons.forEach((reason, index) => {
    if (reason?.Code === "ConditionalCheckFailed") failed.push(index);
  });
  return failed.length > 0 ? failed : undefined;
}
