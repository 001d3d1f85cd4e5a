import fc from "fast-check";

/** A JSON value, as the bad-bodies tests build and mutate bodies. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path in a JSON value (the root `[]` included), objects and arrays alike. */
export function paths(value: Json, prefix: string[] = []): string[][] {
  const out: string[][] = [prefix];
  if (Array.isArray(value))
    for (const [i, v] of value.entries()) out.push(...paths(v, [...prefix, String(i)]));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

/** The value at a path. */
export function get(root: Json, path: string[]): Json {
  let node: Json = root;
  for (const key of path) node = (node as Record<string, Json>)[key] as Json;
  return node;
}

/** A copy with the value at `path` replaced by `make(old)`, or removed when it gives undefined. */
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

/** A JSON value's kind: `null`, `array`, or its typeof. */
export const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** Small JSON values of every kind, to put where another kind belongs. */
export const anyJson = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
) as fc.Arbitrary<Json>;
