import { CycleSupersededError } from "../core/errors";
import type { CycleFence } from "../core/ports";
import type { ConditionalWrite } from "./conditional-writes";
import { failedConditions } from "./dynamo-errors";
import { marketKeys } from "./keys";

/**
 * D-131: the `ConditionCheck` that fences a cycle's write on the cycle being its scheme-day's
 * current one. Every workflow step puts it in the same transaction as its state change, so a
 * superseded cycle's late step changes nothing.
 */
export function fenceCheck(tableName: string, fence: CycleFence): ConditionalWrite {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: marketKeys.schemeDay(fence.anmSchemeId, fence.deliveryDate),
      ConditionExpression: "cycleId = :fencedCycle",
      ExpressionAttributeValues: { ":fencedCycle": fence.cycleId },
    },
  };
}

/**
 * Sends a fenced transaction (`items` with the fence as its last item): a failed fence is
 * {@link CycleSupersededError}; any other failure is returned for the caller to read.
 */
export async function whenFenced<T>(
  fence: CycleFence,
  fenceIndex: number,
  send: () => Promise<T>,
): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (failedConditions(error)?.includes(fenceIndex))
      throw new CycleSupersededError(fence.cycleId);
    throw error;
  }
}
