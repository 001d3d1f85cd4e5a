import { DomainError } from "../core/errors";

/**
 * `nextToken` of a list: DynamoDB's LastEvaluatedKey as base64url JSON. On the way back it must
 * decode to string attributes of the same partition the query reads, or it is refused (400), so
 * a token cannot be used to read another partition.
 */
export function encodePageToken(key: Record<string, unknown> | undefined): string | undefined {
  return key === undefined
    ? undefined
    : Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

export function decodePageToken(
  token: string | undefined,
  partition: { attribute: string; value: string },
): Record<string, string> | undefined {
  if (token === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    key = undefined;
  }
  const valid =
    typeof key === "object" &&
    key !== null &&
    !Array.isArray(key) &&
    Object.values(key).every((value) => typeof value === "string") &&
    (key as Record<string, string>)[partition.attribute] === partition.value;
  if (!valid) {
    throw new DomainError("VALIDATION_FAILED", "nextToken is not a token of this list.", [
      { path: "nextToken", message: "must be a nextToken returned by this list" },
    ]);
  }
  return key as Record<string, string>;
}

/** A page of a list (api.md: `{ items, nextToken? }`). */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

export interface PageRequest {
  readonly limit?: number;
  readonly nextToken?: string;
}
