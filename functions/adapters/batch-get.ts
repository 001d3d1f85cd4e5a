import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { BatchGetCommand } from "@aws-sdk/lib-dynamodb";
import { TemporarilyUnavailableError } from "../core/errors";
import { RETRY_POLICY, sendUntilDone } from "./retry";

/** DynamoDB's limit of keys per BatchGetItem request. */
const PER_REQUEST = 100;

/**
 * The items with these keys that exist (any order), read strongly consistently, up to 100 keys a
 * request; keys DynamoDB leaves unprocessed are asked again under the one retry policy
 * (`retry.ts`), and still unprocessed after it they are `TemporarilyUnavailableError` (503 over
 * HTTP, D-32).
 */
export async function getAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: ReadonlyArray<Record<string, unknown>>,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += PER_REQUEST) {
    await sendUntilDone(
      keys.slice(i, i + PER_REQUEST),
      async (request) => {
        const result = await client.send(
          new BatchGetCommand({
            RequestItems: { [tableName]: { Keys: [...request], ConsistentRead: true } },
          }),
        );
        out.push(...((result.Responses?.[tableName] ?? []) as Record<string, unknown>[]));
        const rest = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
        return { rest: rest.length > 0 ? rest : undefined, backOff: true };
      },
      {
        maxAttempts: RETRY_POLICY.batchAttempts,
        exhausted: () => new TemporarilyUnavailableError("throttling"),
      },
    );
  }
  return out;
}
