/**
 * What no response body may contain (api.md, Conventions; issue 4 "done when" 5): a stack trace,
 * an AWS error name or ARN, a hash (SHA-256 hex, scrypt strings, or any of the stored hashes
 * passed in), or a storage attribute (a table key or stored hash as a property of the answer).
 * Returns what was found, empty when the body is clean.
 *
 * A validation error may name the caller's own fields (`unknown field(s): …`), so text the caller
 * sent is not a leak: pass the request body as `sent`, and a match that occurs in one of its
 * property names or string values (or in its raw text) is ignored. Storage attributes are found
 * by property name in the parsed answer, not by pattern over the text, so an echoed field named
 * `"sk` is not taken for the table's `sk`.
 */
const PATTERNS: ReadonlyArray<[string, RegExp]> = [
  ["stack trace", /\bat [^\s()]+ \(?[^\s()]*:\d+:\d+\)?|\n\s+at /g],
  ["file path", /(\/work\/|node_modules|file:\/\/|\.ts:\d+)/g],
  [
    "AWS error name",
    /(ConditionalCheckFailed|TransactionCanceled|ValidationException|ResourceNotFound|AccessDenied|ProvisionedThroughput|ThrottlingException|InternalServerError|UnrecognizedClient|Exception\b)/g,
  ],
  ["AWS ARN", /arn:aws[a-z-]*:/g],
  ["SHA-256 hex", /(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/gi],
  ["scrypt hash", /scrypt\$/g],
];

const STORAGE_ATTRIBUTES = new Set([
  "pk",
  "sk",
  "gsi1pk",
  "gsi1sk",
  "gsi2pk",
  "gsi2sk",
  "claimSecretHash",
  "keyHash",
]);

export function leaksIn(
  body: string,
  storedHashes: readonly string[] = [],
  sent: string | null = null,
): string[] {
  const echoed = sentStrings(sent);
  const isEchoed = (text: string) => echoed.some((s) => s.includes(text));
  const found: string[] = [];
  for (const [name, pattern] of PATTERNS) {
    const matches = [...body.matchAll(pattern)].map((m) => m[0]);
    if (matches.some((m) => !isEchoed(m))) found.push(name);
  }
  if (propertyNames(parsed(body)).some((k) => STORAGE_ATTRIBUTES.has(k))) found.push("table key");
  for (const hash of storedHashes)
    if (hash !== "" && body.includes(hash) && !isEchoed(hash)) found.push("stored hash");
  return found;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Every property name in a JSON value, at any depth. */
function propertyNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(propertyNames);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...propertyNames(v)]);
}

/** The raw request text, and every property name and string value in it when it is JSON. */
function sentStrings(sent: string | null): string[] {
  if (sent === null || sent === "") return [];
  const out = [sent];
  const walk = (value: unknown): void => {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object")
      for (const [k, v] of Object.entries(value)) {
        out.push(k);
        walk(v);
      }
  };
  walk(parsed(sent));
  return out;
}
