import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import {
  DEFAULT_PAGE_LIMIT,
  encodeToken,
  invalidPageToken,
  type Page,
  type PageRequest,
  tokenObject,
} from "../core/model/paging";

/**
 * `nextToken` of a list: DynamoDB's LastEvaluatedKey as base64url JSON. On the way back it must
 * decode to string attributes of the same partition the query reads, or it is refused (400), so
 * a token cannot be used to read another partition.
 */
function encodePageToken(key: Record<string, unknown> | undefined): string | undefined {
  return key === undefined ? undefined : encodeToken(key);
}

function decodePageToken(
  token: string | undefined,
  partition: { attribute: string; value: string },
): Record<string, string> | undefined {
  if (token === undefined) return undefined;
  const key = tokenObject(token);
  const valid =
    key !== undefined &&
    Object.values(key).every((value) => typeof value === "string") &&
    key[partition.attribute] === partition.value;
  if (!valid) {
    throw invalidPageToken();
  }
  return key as Record<string, string>;
}

/** The partition a paged list reads: a key attribute of the table or of one of its indexes. */
export interface ListPartition {
  /** The index, or undefined for the table itself. */
  readonly index: string | undefined;
  readonly attribute: string;
  readonly value: string;
}

/** A filter applied by DynamoDB to the items a page reads (a page may then hold fewer). */
export interface ListFilter {
  readonly expression: string;
  readonly names?: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/**
 * One page of a partition, read by DynamoDB itself (`Limit`, `ExclusiveStartKey`): at most
 * `limit` items (default {@link DEFAULT_PAGE_LIMIT}) from where `nextToken` left off, each made
 * into `T` by `toItem`. A token of another partition is refused (400). With a sort-key
 * `prefix`, only items whose sort key starts with it; with a `filter`, DynamoDB drops the items
 * that do not match after reading them, so a page may hold fewer than `limit` (and `nextToken`
 * still says whether more may follow).
 */
export async function queryPage<T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  partition: ListPartition,
  page: PageRequest,
  toItem: (item: Record<string, unknown>) => T,
  filter?: ListFilter,
  prefix?: { readonly attribute: string; readonly value: string },
): Promise<Page<T>> {
  const start = decodePageToken(page.nextToken, partition);
  if (start && prefix && !String(start[prefix.attribute] ?? "").startsWith(prefix.value))
    throw invalidPageToken();
  const result = await client.send(
    new QueryCommand({
      TableName: tableName,
      ...(partition.index ? { IndexName: partition.index } : {}),
      KeyConditionExpression: prefix ? "#p = :p AND begins_with(#s, :s)" : "#p = :p",
      ExpressionAttributeNames: {
        "#p": partition.attribute,
        ...(prefix ? { "#s": prefix.attribute } : {}),
        ...(filter?.names ?? {}),
      },
      ExpressionAttributeValues: {
        ":p": partition.value,
        ...(prefix ? { ":s": prefix.value } : {}),
        ...(filter?.values ?? {}),
      },
      ...(filter ? { FilterExpression: filter.expression } : {}),
      Limit: page.limit ?? DEFAULT_PAGE_LIMIT,
      ExclusiveStartKey: start,
    }),
  );
  const nextToken = encodePageToken(result.LastEvaluatedKey);
  return { items: (result.Items ?? []).map(toItem), ...(nextToken ? { nextToken } : {}) };
}
