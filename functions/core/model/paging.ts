import { DomainError } from "../errors";

/**
 * Pages of lists (api.md, Conventions: `{ items, nextToken? }`, `limit` ≤ 100). Lists read by a
 * store page themselves (the adapter's `nextToken`); lists read whole are paged here, in memory,
 * in a stable order.
 */

/** A page of a list (api.md: `{ items, nextToken? }`). */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

export interface PageRequest {
  readonly limit?: number;
  readonly nextToken?: string;
}

/** An item's place in an in-memory list: compared element by element, unique in the list. */
export type SortKey = readonly (string | number)[];

/**
 * How a list read whole and paged in memory is ordered and named. `list` and `scope` (what the
 * list was asked for, e.g. the delivery date) are written into its `nextToken`: a token of
 * another list or scope is refused, as is one whose key is not of `keyTypes`.
 */
export interface InMemoryList<T> {
  readonly list: string;
  readonly scope: string;
  readonly keyTypes: readonly ("string" | "number")[];
  readonly keyOf: (item: T) => SortKey;
}

/** `limit` when the caller sends none (api.md: `limit` ≤ 100). */
export const DEFAULT_PAGE_LIMIT = 100;

/**
 * One page of a list read whole: the items sorted by their key (a stable order), those after
 * the key `nextToken` carries, at most `limit` of them; `nextToken` (the last key returned,
 * base64url JSON) only when more items follow. Items added or removed between pages neither
 * repeat nor shift the others.
 */
export function pageOf<T>(
  items: readonly T[],
  request: PageRequest,
  list: InMemoryList<T>,
): Page<T> {
  const limit = request.limit ?? DEFAULT_PAGE_LIMIT;
  const after = decodeListToken(request.nextToken, list);
  const keyed = items
    .map((item) => ({ item, key: list.keyOf(item) }))
    .sort((a, b) => compareKeys(a.key, b.key));
  const next = after === undefined ? 0 : keyed.findIndex((k) => compareKeys(k.key, after) > 0);
  const start = next === -1 ? keyed.length : next;
  const page = keyed.slice(start, start + limit);
  const last = page[page.length - 1];
  return start + limit < keyed.length && last !== undefined
    ? {
        items: page.map((k) => k.item),
        nextToken: encodeToken({ list: list.list, scope: list.scope, after: last.key }),
      }
    : { items: page.map((k) => k.item) };
}

/** Element by element; numbers numerically, strings by UTF-16 code unit; a prefix first. */
export function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) {
      if (typeof x === "number" && typeof y === "number") return x - y;
      return String(x) < String(y) ? -1 : 1;
    }
  }
  return a.length - b.length;
}

function decodeListToken<T>(token: string | undefined, list: InMemoryList<T>): SortKey | undefined {
  if (token === undefined) return undefined;
  const { list: name, scope, after } = tokenObject(token) ?? {};
  const valid =
    name === list.list &&
    scope === list.scope &&
    Array.isArray(after) &&
    after.length === list.keyTypes.length &&
    after.every(
      (part, i) =>
        typeof part === list.keyTypes[i] && (typeof part !== "number" || Number.isFinite(part)),
    );
  if (!valid) {
    throw invalidPageToken();
  }
  return after as SortKey;
}

/** 400 VALIDATION_FAILED on `nextToken`: the token was not made by this list (or was altered). */
export function invalidPageToken(): DomainError {
  return new DomainError("VALIDATION_FAILED", "nextToken is not a token of this list.", [
    { path: "nextToken", message: "must be a nextToken returned by this list" },
  ]);
}

/** A page token: JSON of `value` as base64url (opaque to callers, checked when it comes back). */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

/** The JSON object a page token carries, or undefined if it is not one. */
export function tokenObject(token: string): Record<string, unknown> | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    return typeof decoded === "object" && decoded !== null && !Array.isArray(decoded)
      ? (decoded as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
