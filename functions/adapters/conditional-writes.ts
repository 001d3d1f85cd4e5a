import type { DynamoDBDocumentClient, TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
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
 * Returns how many writes were skipped because their condition failed.
 */
export async function applyConditionalWrites(
  client: DynamoDBDocumentClient,
  writes: ReadonlyArray<ConditionalWrite>,
): Promise<{ skipped: number }> {
  let skipped = 0;
  for (let i = 0; i < writes.length; i += PER_REQUEST) {
    let last: unknown;
    await sendUntilDone(
      writes.slice(i, i + PER_REQUEST),
      async (pending) => {
        try {
          await client.send(new TransactWriteCommand({ TransactItems: pending }));
          return { rest: undefined, backOff: false };
        } catch (error) {
          const codes = cancellationCodes(error);
          if (!codes || codes.length !== pending.length) throw error;
          const other = codes.filter((c) => c !== "None" && c !== "ConditionalCheckFailed");
          if (other.some((c) => c !== "TransactionConflict" && c !== "ThrottlingError"))
            throw error;
          last = error;
          skipped += codes.filter((c) => c === "ConditionalCheckFailed").length;
          const rest = pending.filter((_, k) => codes[k] !== "ConditionalCheckFailed");
          return { rest: rest.length > 0 ? rest : undefined, backOff: other.length > 0 };
        }
      },
      { maxAttempts: RETRY_POLICY.conditionalWriteAttempts, exhausted: () => last as Error },
    );
  }
  return { skipped };
}
