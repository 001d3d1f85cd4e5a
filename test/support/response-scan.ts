/**
 * What no response body may contain (api.md, Conventions; issue 4 "done when" 5): a stack trace,
 * an AWS error name or ARN, or a hash (SHA-256 hex, scrypt strings, or any of the stored hashes
 * passed in). Returns what was found, empty when the body is clean.
 */
const PATTERNS: ReadonlyArray<[string, RegExp]> = [
  ["stack trace", /\bat [^\s()]+ \(?[^\s()]*:\d+:\d+\)?|\n\s+at /],
  ["file path", /(\/work\/|node_modules|file:\/\/|\.ts:\d+)/],
  [
    "AWS error name",
    /(ConditionalCheckFailed|TransactionCanceled|ValidationException|ResourceNotFound|AccessDenied|ProvisionedThroughput|ThrottlingException|InternalServerError|UnrecognizedClient|Exception\b)/,
  ],
  ["AWS ARN", /arn:aws[a-z-]*:/],
  ["SHA-256 hex", /(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/i],
  ["scrypt hash", /scrypt\$/],
  ["table key", /"(pk|sk|gsi1pk|gsi1sk|gsi2pk|gsi2sk|claimSecretHash|keyHash)"/],
];

export function leaksIn(body: string, storedHashes: readonly string[] = []): string[] {
  const found = PATTERNS.filter(([, pattern]) => pattern.test(body)).map(([name]) => name);
  for (const hash of storedHashes)
    if (hash !== "" && body.includes(hash)) found.push("stored hash");
  return found;
}
