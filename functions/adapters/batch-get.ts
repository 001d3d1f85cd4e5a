import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { BatchGetCommand } from "@aws-sdk/lib-dynamodb";
import { TemporarilyUnavailableError } from "../core/errors";

/** DynamoDB's limit of keys per BatchGetItem request. */
const PER_REQUEST = 100;
const MAX_ATTEMPTS = 9;

/**
 * The items with these keys that exist (any order), read strongly consistently, up to 100 keys a
 * request; keys DynamoDB leaves unprocessed are asked again after a jittered backoff, and still
 * unprocessed after the bound they are `TemporarilyUnavailableError` (503 over HTTP, D-32).
 */
export async function getAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: ReadonlyArray<Record<string, unknown>>,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += PER_REQUEST) {
    let request = keys.slice(i, i + PER_REQUEST);
    for (let attempt = 1; request.length > 0; attempt += 1) {
      if (attempt > MAX_ATTEMPTS) throw new TemporarilyUnavailableError("throttling");
      if (attempt > 1)
        await new Promise((wake) =>
          setTimeout(wake, Math.random() * 20 * 2 ** Math.min(attempt, 6)),
        );
      const result = await client.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: [...request], ConsistentRead: true } },
        }),
      );
      out.push(...((result.Responses?.[tableName] ?? []) as Record<string, unknown>[]));
      request = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return out;
}
