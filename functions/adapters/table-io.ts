import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { BatchWriteCommand, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import pLimit from "p-limit";
import { TemporarilyUnavailableError } from "../core/errors";

/** DynamoDB's limit of items per BatchWriteItem request. */
const BATCH = 25;
/** Re-sends of a batch's unprocessed items before giving up (9 requests in all). */
export const UNPROCESSED_RETRIES = 8;

/** Batch writes of one `putAll` in flight at once. */
const IN_FLIGHT = 8;

/**
 * Writes items with BatchWriteItem, 25 a request and up to 8 requests at once, re-sending only
 * the unprocessed items with exponential backoff and full jitter (25 ms · 2^n, at most 2 s). Puts
 * only: every caller writes items with deterministic keys, so a retry rewrites the same content
 * and the order the batches land in does not matter. Items still unprocessed after
 * {@link UNPROCESSED_RETRIES} re-sends: `TemporarilyUnavailableError` (throttling), which the
 * workflow's Retry runs again and the HTTP layer answers 503 (D-32).
 */
export async function putAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  const limit = pLimit({ concurrency: IN_FLIGHT, rejectOnClear: true });
  const batches: Promise<void>[] = [];
  for (let i = 0; i < items.length; i += BATCH)
    batches.push(limit(() => putBatch(client, tableName, items.slice(i, i + BATCH))));
  // On the first failure no further batch starts, and the call returns only once the batches
  // already sent have settled: nothing of this call lands after it has failed.
  const settled = await Promise.allSettled(
    batches.map((batch) =>
      batch.catch((error: unknown) => {
        limit.clearQueue();
        throw error;
      }),
    ),
  );
  const failed = settled.find((r) => r.status === "rejected" && !isAbort(r.reason));
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

function isAbort(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === "AbortError";
}

async function putBatch(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; requests.length > 0; attempt += 1) {
    if (attempt > UNPROCESSED_RETRIES) throw new TemporarilyUnavailableError("throttling");
    if (attempt > 0)
      await new Promise((r) => setTimeout(r, Math.min(2000, 25 * 2 ** attempt) * Math.random()));
    const result = await client.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
    );
    requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
  }
}

/** Every item of a query, all pages read. */
export async function queryAll<T = Record<string, unknown>>(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<T[]> {
  const items: T[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...((page.Items ?? []) as T[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** Splits a list into pages of at most `size`. */
export function pages<T>(list: ReadonlyArray<T>, size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out.length > 0 ? out : [[]];
}

/** Removes the table's key attributes from an item, leaving the stored object. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest } = item;
  return rest as T;
}
