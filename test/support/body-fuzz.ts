import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";

/**
 * reliability.md BI body generators, shared by the bad-body tests: fc.json() and fc.anything()
 * documents, and mutations of a valid body (wrong types, unknown fields, oversized strings,
 * missing required fields, truncated JSON, bad numbers), mixed with valid bodies.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface FuzzTarget {
  readonly base: { [key: string]: Json };
  /** Paths (dotted) that may be deleted to make the body invalid. */
  readonly required: readonly string[];
  /** Valid bodies (they reach the store: accepted, or refused by state with 404/409) … */
  readonly valid: fc.Arbitrary<Json>;
  /** … and how often they come, against 40 for each kind of bad body. */
  readonly validWeight: number;
}

/** Every item of the table, by key, as JSON: compared before and after a fuzzed route. */
export async function tableItems(tableName: string): Promise<Map<string, string>> {
  const { dynamoDocumentClient } = await import("../../functions/runtime/clients");
  const items = new Map<string, string>();
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDocumentClient().send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey }),
    );
    for (const item of page.Items ?? []) items.set(`${item.pk}|${item.sk}`, JSON.stringify(item));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

export function paths(value: Json, prefix: string[] = []): string[][] {
  const out: string[][] = [prefix];
  if (Array.isArray(value))
    value.forEach((v, i) => {
      out.push(...paths(v, [...prefix, String(i)]));
    });
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

export function setAt(root: Json, path: string[], make: (old: Json) => Json | undefined): Json {
  if (path.length === 0) return make(root) ?? null;
  const copy = structuredClone(root) as Record<string, Json>;
  let node = copy as Record<string, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, Json>;
  const last = path[path.length - 1]!;
  const next = make(node[last] as Json);
  if (next === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = next;
  return copy;
}

export const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
export const anyJson = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
) as fc.Arbitrary<Json>;

/** Bodies as raw text, and what kind of body each is. */
export function bodies(target: FuzzTarget): fc.Arbitrary<{ kind: string; text: string }> {
  const all = paths(target.base);
  const objects = all.filter((p) => kind(get(target.base, p)) === "object");
  const numbers = all.filter((p) => typeof get(target.base, p) === "number");
  const strings = all.filter((p) => typeof get(target.base, p) === "string");
  const pick = (list: string[][]) => fc.constantFrom(...list);
  const has = (list: unknown[]) => list.length > 0;
  const text = (value: Json) => JSON.stringify(value);
  const mutations = [
    // wrong type at any path, the body itself included
    fc
      .tuple(pick(all), anyJson)
      .filter(([p, v]) => kind(v) !== kind(get(target.base, p)))
      .map(([p, v]) => ({
        kind: "wrong type",
        text: text(setAt(target.base, p, () => v)),
      })),
    // unknown field in any object
    fc
      .tuple(pick(objects), fc.string({ minLength: 1, maxLength: 12 }), anyJson)
      .filter(([p, k]) => !Object.hasOwn(get(target.base, p) as object, k))
      .map(([p, k, v]) => ({
        kind: "unknown field",
        text: text(setAt(target.base, p, (o) => ({ ...(o as object), [k]: v }))),
      })),
    // truncated JSON
    fc.integer({ min: 0, max: 10_000 }).map((n) => {
      const full = text(target.base);
      return { kind: "truncated", text: full.slice(0, n % full.length) };
    }),
  ];
  if (has(strings))
    mutations.push(
      fc.tuple(pick(strings), fc.integer({ min: 1_001, max: 100_000 })).map(([p, n]) => ({
        kind: "oversized string",
        text: text(setAt(target.base, p, () => "x".repeat(n))),
      })),
    );
  if (has([...target.required]))
    mutations.push(
      fc.constantFrom(...target.required).map((p) => ({
        kind: "missing field",
        text: text(setAt(target.base, p.split("."), () => undefined)),
      })),
    );
  if (numbers.length > 0) {
    mutations.push(
      fc
        .tuple(
          pick(numbers),
          fc.constantFrom("1e999", "-1e999", "-1", "-0.001", "1.0001", "0.12345", "1e308"),
        )
        .map(([p, literal]) => ({
          kind: "bad number",
          text: text(setAt(target.base, p, () => "__NUMBER__")).replace('"__NUMBER__"', literal),
        })),
    );
  }
  const bad = [
    fc.json().map((t) => ({ kind: "fc.json", text: t })),
    fc.anything().map((v) => ({ kind: "fc.anything", text: JSON.stringify(v) ?? "" })),
    ...mutations,
  ];
  return fc.oneof(...bad.map((arbitrary) => ({ arbitrary, weight: 40 })), {
    arbitrary: target.valid.map((v) => ({ kind: "valid", text: JSON.stringify(v) })),
    weight: target.validWeight,
  });
}

export function get(root: Json, path: string[]): Json {
  let node: Json = root;
  for (const key of path) node = (node as Record<string, Json>)[key] as Json;
  return node;
}
