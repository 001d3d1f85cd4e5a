import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { BatchWriteCommand, paginateQuery, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import pLimit from "p-limit";
import { TemporarilyUnavailableError } from "../core/errors";
import { RETRY_POLICY, sendUntilDone } from "./retry";

/** DynamoDB's limit of items per BatchWriteItem request. */
const BATCH = 25;
/** Re-sends of a batch's unprocessed items before giving up (9 requests in all, D-32). */
export const UNPROCESSED_RETRIES = RETRY_POLICY.batchAttempts - 1;

/** Batch writes of one `putAll` in flight at once. */
const IN_FLIGHT = 8;

/**
 * Writes items with BatchWriteItem, 25 a request and up to 8 requests at once, re-sending only
 * the unprocessed items under the one retry policy (`retry.ts`: 25 ms · 2ⁿ, full jitter, ≤ 2 s). Puts
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
  type Requests = { PutRequest: { Item: Record<string, unknown> } }[];
  await sendUntilDone<Requests>(
    items.map((Item) => ({ PutRequest: { Item } })),
    async (requests) => {
      const result = await client.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      const rest = (result.UnprocessedItems?.[tableName] ?? []) as Requests;
      return { rest: rest.length > 0 ? rest : undefined, backOff: true };
    },
    {
      maxAttempts: RETRY_POLICY.batchAttempts,
      exhausted: () => new TemporarilyUnavailableError("throttling"),
    },
  );
}

/** Every item of a query, all pages read (the SDK's paginator). */
export async function queryAll<T = Record<string, unknown>>(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<T[]> {
  const items: T[] = [];
  for await (const page of paginateQuery({ client }, input))
    items.push(...((page.Items ?? []) as T[]));
  return items;
}

/** Splits a list into pages of at most `size`. */
export function pages<T>(list: ReadonlyArray<T>, size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out.length > 0 ? out : [[]];
}

/**
 * An item without the table's key and index attributes and its item-type tag: the record that
 * was stored (every other attribute, so that a field added to a record is read back as written).
 */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _a,
    gsi1sk: _b,
    gsi2pk: _c,
    gsi2sk: _d,
    type: _type,
    ...rest
  } = item;
  return rest as T;
}
