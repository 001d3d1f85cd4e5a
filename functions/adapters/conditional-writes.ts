import type { DynamoDBDocumentClient, TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { CycleSupersededError } from "../core/errors";
import type { CycleFence } from "../core/ports";
import { fenceCheck } from "./cycle-fence";
import { cancellationCodes } from "./dynamo-errors";
import { RETRY_POLICY, sendUntilDone } from "./retry";

/** One conditional write (Put, Update or Delete with its ConditionExpression). */
export type ConditionalWrite = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** DynamoDB's limit of items per TransactWriteItems request. */
const PER_REQUEST = 100;

/**
 * Applies many independent conditional writes, up to 100 a request (TransactWriteItems) instead
 * of one request each (D-34). Each write either applies or, when its own condition fails, is
 * skipped — the same outcome as sending it alone and treating ConditionalCheckFailed as "already
 * done, or no longer ours". When a transaction is cancelled, the writes whose condition failed
 * are dropped and the rest go again; a transaction conflict or a throttled item is retried under
 * the one retry policy (`retry.ts`), and after its last attempt the cancellation is rethrown.
 *
 * With a `fence` (D-131), every transaction also carries the fence's ConditionCheck (so 99
 * writes a request): when the cycle is no longer current nothing of that transaction is written
 * and {@link CycleSupersededError} is thrown.
 *
 * Returns how many writes were skipped because their condition failed.
 */
export async function applyConditionalWrites(
  client: DynamoDBDocumentClient,
  writes: ReadonlyArray<ConditionalWrite>,
  fenced?: { readonly tableName: string; readonly fence: CycleFence },
): Promise<{ skipped: number }> {
  let skipped = 0;
  const perRequest = fenced ? PER_REQUEST - 1 : PER_REQUEST;
  const check = fenced ? [fenceCheck(fenced.tableName, fenced.fence)] : [];
  for (let i = 0; i < writes.length; i += perRequest) {
    let last: unknown;
    await sendUntilDone(
      writes.slice(i, i + perRequest),
      async (pending) => {
        try {
          await client.send(new TransactWriteCommand({ TransactItems: [...pending, ...check] }));
          return { rest: undefined, backOff: false };
        } catch (error) {
          const all = cancellationCodes(error);
          if (!all || all.length !== pending.length + check.length) throw error;
          if (fenced && all.at(-1) === "ConditionalCheckFailed")
            throw new CycleSupersededError(fenced.fence.cycleId);
          const codes = all.slice(0, pending.length);
          const other = codes.filter((c) => c !== "None" && c !== "ConditionalCheckFailed");
          if (other.some((c) => c !== "TransactionConflict" && c !== "ThrottlingError"))
            throw error;
          last = error;
          skipped += codes.filter((c) => c === "ConditionalCheckFailed").length;
          const rest = pending.filter((_, k) => codes[k] !== "ConditionalCheckFailed");
          const fenceBusy = fenced !== undefined && all.at(-1) !== "None";
          if (rest.length === 0 && fenceBusy) return { rest: pending, backOff: true };
          return {
            rest: rest.length > 0 ? rest : undefined,
            backOff: other.length > 0 || fenceBusy,
          };
        }
      },
      { maxAttempts: RETRY_POLICY.conditionalWriteAttempts, exhausted: () => last as Error },
    );
  }
  return { skipped };
}
