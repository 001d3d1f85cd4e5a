import type { DynamoDBDocumentClient, TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { cancellationCodes } from "./dynamo-errors";

/** One conditional write (Put, Update or Delete with its ConditionExpression). */
export type ConditionalWrite = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** DynamoDB's limit of items per TransactWriteItems request. */
const PER_REQUEST = 100;
const MAX_ATTEMPTS = 8;

/**
 * Applies many independent conditional writes, up to 100 a request (TransactWriteItems) instead
 * of one request each. Each write either applies or, when its own condition fails, is skipped —
 * the same outcome as sending it alone and treating ConditionalCheckFailed as "already done, or no
 * longer ours". When a transaction is cancelled, the writes whose condition failed are dropped
 * and the rest go again; a transaction conflict or a throttled item is retried after a jittered
 * backoff.
 *
 * Returns how many writes were skipped because their condition failed.
 */
export async function applyConditionalWrites(
  client: DynamoDBDocumentClient,
  writes: ReadonlyArray<ConditionalWrite>,
): Promise<{ skipped: number }> {
  let skipped = 0;
  for (let i = 0; i < writes.length; i += PER_REQUEST) {
    let pending = writes.slice(i, i + PER_REQUEST);
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      try {
        await client.send(new TransactWriteCommand({ TransactItems: pending }));
        pending = [];
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes || codes.length !== pending.length || attempt >= MAX_ATTEMPTS) throw error;
        const failed = codes.filter((c) => c === "ConditionalCheckFailed").length;
        const other = codes.filter((c) => c !== "None" && c !== "ConditionalCheckFailed");
        if (other.some((c) => c !== "TransactionConflict" && c !== "ThrottlingError")) throw error;
        skipped += failed;
        pending = pending.filter((_, k) => codes[k] !== "ConditionalCheckFailed");
        if (other.length > 0)
          await new Promise((r) =>
            setTimeout(r, Math.random() * Math.min(1000, 20 * 2 ** attempt)),
          );
      }
    }
  }
  return { skipped };
}
