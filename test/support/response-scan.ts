/**
 * What no response body may contain (api.md, Conventions): a stack trace,
 * a file path, an AWS error name or ARN, a hash (SHA-256 hex, scrypt strings, or any of the stored
 * hashes passed in), or storage details (a table key attribute, or a key value such as
 * `PARTICIPANT#…`). Returns what was found, empty when the body is clean.
 *
 * A validation error may name the caller's own fields (`unknown field(s): …`), so in the field
 * problems (`errors[].path` and `errors[].message`) an occurrence that lies inside an echo of
 * something the caller sent (pass the request body as `sent`: its property names and string
 * values) is not a leak; the same text anywhere else in the answer still is. A JSON answer is scanned string by string after parsing (so escapes do not hide or make
 * matches); an answer that is not JSON is scanned as raw text, without excuses. A pre-signed
 * URL's signature is not a hash leak (it is what `POST /meter-uploads` hands out).
 */
const PATTERNS: ReadonlyArray<[string, RegExp]> = [
  ["stack trace", /\bat [^\s()]+ \(?[^\s()]*:\d+:\d+\)?|\n\s+at /g],
  ["file path", /(\/work\/|node_modules|file:\/\/|\.ts:\d+)/g],
  [
    "AWS error name",
    /(ConditionalCheckFailed|TransactionCanceled|ValidationException|ResourceNotFound|AccessDenied|ProvisionedThroughput|ThrottlingException|InternalServerError|UnrecognizedClient|\w*Exception\b)/g,
  ],
  ["AWS ARN", /arn:aws[a-z-]*:/g],
  ["SHA-256 hex", /(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/gi],
  ["scrypt hash", /scrypt\$/g],
  [
    "table key",
    /\b(APIKEY|ASSET|AUDIT|BOOTSTRAPKEY|CAP|CYCLE|CYCLEMKT|CYCLES|ENTRY|ENTRYCLAIMS|IDEMPOTENCY|LA|LOOKAHEAD|MARKET|MARKETS|MKTORD|MOL|OPP|ORDER|OUTBOX|PARTICIPANT|PARTICIPANTS|PASSETS|POPP|PORD|PTRD|RMOL|SCHEMEDAY|TRD|V)#/g,
  ],
];

/** The table's key and secret attributes: never a property of an answer, nor a value in one. */
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
const RAW_STORAGE_ATTRIBUTE = /"(pk|sk|gsi1pk|gsi1sk|gsi2pk|gsi2sk|claimSecretHash|keyHash)"/;

export function leaksIn(
  body: string,
  storedHashes: readonly string[] = [],
  sent: string | null = null,
): string[] {
  const found = new Set<string>();
  const answer = parsed(body);
  if (answer === undefined) {
    for (const [name, pattern] of PATTERNS) if (body.match(pattern)) found.add(name);
    if (RAW_STORAGE_ATTRIBUTE.test(body)) found.add("table key");
    for (const hash of storedHashes)
      if (hash !== "" && body.includes(hash)) found.add("stored hash");
    return [...found];
  }
  const echoes = sentStrings(sent);
  const { names, values, fieldProblems } = contents(answer);
  if (names.some((k) => STORAGE_ATTRIBUTES.has(k))) found.add("table key");
  const texts = [
    ...[...names, ...values].map((text) => ({ text, echoes: [] as string[] })),
    ...fieldProblems.map((text) => ({ text, echoes })),
  ];
  for (const { text, echoes: excused } of texts) {
    const covered = [...echoIntervals(text, excused), ...presignedSignatures(text)];
    const isLeak = (from: number, to: number) => !covered.some(([a, b]) => a <= from && to <= b);
    for (const [name, pattern] of PATTERNS)
      for (const m of text.matchAll(pattern))
        if (isLeak(m.index, m.index + m[0].length)) found.add(name);
    if (STORAGE_ATTRIBUTES.has(text) && isLeak(0, text.length)) found.add("table key");
    for (const hash of storedHashes)
      for (let at = hash === "" ? -1 : text.indexOf(hash); at >= 0; at = text.indexOf(hash, at + 1))
        if (isLeak(at, at + hash.length)) found.add("stored hash");
  }
  return PATTERN_ORDER.filter((name) => found.has(name));
}

/**
 * Where a pre-signed URL's SigV4 signature lies in a string (`X-Amz-Signature=<64 hex>`): the
 * URL `POST /meter-uploads` answers is the credential the caller asked for, not a stored hash.
 */
function presignedSignatures(text: string): [number, number][] {
  return [...text.matchAll(/X-Amz-Signature=[0-9a-f]{64}(?![0-9a-f])/g)].map((m) => [
    m.index,
    m.index + m[0].length,
  ]);
}

const PATTERN_ORDER = [...PATTERNS.map(([name]) => name), "stored hash"];

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Every property name and every string value in a JSON value, at any depth; the strings of a
 * problem's field problems (`errors[].path`, `errors[].message`) apart, in `fieldProblems`.
 */
function contents(value: unknown): { names: string[]; values: string[]; fieldProblems: string[] } {
  const names: string[] = [];
  const values: string[] = [];
  const fieldProblems: string[] = [];
  const walk = (node: unknown, inErrors: boolean): void => {
    if (typeof node === "string") values.push(node);
    else if (Array.isArray(node)) for (const item of node) walk(item, false);
    else if (node !== null && typeof node === "object")
      for (const [k, v] of Object.entries(node)) {
        names.push(k);
        if (inErrors && (k === "path" || k === "message") && typeof v === "string")
          fieldProblems.push(v);
        else if (k === "errors" && Array.isArray(v) && node === value)
          for (const item of v)
            if (item !== null && typeof item === "object" && !Array.isArray(item)) walk(item, true);
            else walk(item, false);
        else walk(v, false);
      }
  };
  walk(value, false);
  return { names, values, fieldProblems };
}

/** The property names and string values of the request, when it is JSON. */
function sentStrings(sent: string | null): string[] {
  if (sent === null) return [];
  const { names, values, fieldProblems } = contents(parsed(sent));
  return [...names, ...values, ...fieldProblems].filter((s) => s !== "");
}

/** Where in `text` something the caller sent occurs: [from, to) intervals. */
function echoIntervals(text: string, echoes: readonly string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const echo of echoes)
    for (let at = text.indexOf(echo); at >= 0; at = text.indexOf(echo, at + 1))
      out.push([at, at + echo.length]);
  return out;
}
