import type { APIGatewayProxyEvent } from "aws-lambda";
import * as z from "zod";
import { DomainError } from "../../core/errors";
import { validationProblem } from "../../core/problem";

/**
 * The body-parsing step of every write route (api.md, Conventions), in this order:
 *
 * 1. body over 1 MiB (after base64 decoding) → 413 `PAYLOAD_TOO_LARGE`;
 * 2. a `content-type` that is not JSON → 415 `UNSUPPORTED_MEDIA_TYPE` (no header is fine);
 * 3. no body, or not JSON → 400 `MALFORMED_JSON` (errors: `[{ path: "body" }]`);
 * 4. the zod schema (make it `.strict()` so unknown fields are refused) → 400
 *    `VALIDATION_FAILED` with one `errors[]` item per violated field (core `validationProblem`).
 *
 * It throws `DomainError`s; the problem+json middleware of `httpHandler` answers them. Usage:
 *
 * ```ts
 * export const handler = httpHandler(idempotent(async (event) => {
 *   const body = parseBody(event, SubmitOrderBodySchema); // typed z.output of the schema
 *   …
 * }));
 * ```
 *
 * Read headers only after `httpHeaderNormalizer` (i.e. inside a handler wrapped by
 * `httpHandler`): they are lowercase there.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

export function parseBody<S extends z.ZodType>(
  event: APIGatewayProxyEvent,
  schema: S,
): z.output<S> {
  return validate(jsonOf(bodyText(event)), schema);
}

/** JSON text parsed, or 400 `MALFORMED_JSON`. */
export function jsonOf(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new DomainError("MALFORMED_JSON", "The request body is not valid JSON.", [
      { path: "body", message: "must be a JSON document" },
    ]);
  }
}

/**
 * A write that takes no body (rotations, tests, retries): none, or the JSON `{}`; anything else
 * is refused like any bad body (after the size and media-type checks).
 */
export function parseOptionalEmptyBody(event: APIGatewayProxyEvent): void {
  const body = event.body ?? "";
  const text = event.isBase64Encoded ? Buffer.from(body, "base64").toString("utf8") : body;
  if (text.trim() === "" && !event.isBase64Encoded) return;
  parseBody(event, EMPTY_BODY);
}

const EMPTY_BODY = z.strictObject({});

/**
 * {@link parseBody} for a route whose body is optional: no body (or an empty one) is `{}`; any
 * body sent goes through every check of {@link parseBody}.
 */
export function parseOptionalBody<S extends z.ZodType>(
  event: APIGatewayProxyEvent,
  schema: S,
): z.output<S> {
  const raw = event.body ?? "";
  if (raw === "") return validate({}, schema);
  return parseBody(event, schema);
}

/** Validates a parsed value against a schema: 400 VALIDATION_FAILED naming each field. */
export function validate<S extends z.ZodType>(value: unknown, schema: S): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problem = validationProblem(parsed.error.issues);
  throw new DomainError("VALIDATION_FAILED", problem.detail, problem.errors ?? []);
}

/** The body as UTF-8 text, after the size and media-type checks (no JSON parsing). */
export function bodyText(event: APIGatewayProxyEvent): string {
  const text = sizedBody(event);
  const contentType = headerOf(event, "content-type");
  if (contentType !== undefined && !isJsonMediaType(contentType)) {
    throw new DomainError("UNSUPPORTED_MEDIA_TYPE", "Send JSON bodies as application/json.");
  }
  if (text.trim() === "") {
    throw new DomainError("MALFORMED_JSON", "A JSON body is required.", [
      { path: "body", message: "must be a JSON document" },
    ]);
  }
  return text;
}

/**
 * A body that may be JSON or CSV (`POST /meter-readings`): 413 over 1 MiB, then 415
 * `UNSUPPORTED_MEDIA_TYPE` for a type other than JSON or `text/csv` (no header is JSON).
 */
export function jsonOrCsvBody(event: APIGatewayProxyEvent): { type: "json" | "csv"; text: string } {
  const text = sizedBody(event);
  const contentType = headerOf(event, "content-type");
  if (contentType === undefined || isJsonMediaType(contentType)) {
    if (text.trim() === "")
      throw new DomainError("MALFORMED_JSON", "A JSON body is required.", [
        { path: "body", message: "must be a JSON document" },
      ]);
    return { type: "json", text };
  }
  if (contentType.split(";")[0]!.trim().toLowerCase() === "text/csv") return { type: "csv", text };
  throw new DomainError(
    "UNSUPPORTED_MEDIA_TYPE",
    "Send meter readings as application/json or text/csv.",
  );
}

/**
 * A `text/csv` body (`POST /assets:bulk`): 413 over 1 MiB, then 415 `UNSUPPORTED_MEDIA_TYPE` for
 * any other type, a missing one included.
 */
export function csvBody(event: APIGatewayProxyEvent, what: string): string {
  const text = sizedBody(event);
  const contentType = headerOf(event, "content-type");
  if ((contentType ?? "").split(";")[0]!.trim().toLowerCase() !== "text/csv")
    throw new DomainError("UNSUPPORTED_MEDIA_TYPE", `Send ${what} as text/csv.`);
  return text;
}

/** The body as UTF-8 text once it is known to be at most 1 MiB (413 otherwise). */
function sizedBody(event: APIGatewayProxyEvent): string {
  const body = event.body ?? "";
  const bytes = event.isBase64Encoded
    ? Buffer.from(body, "base64")
    : Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES
      ? undefined
      : body;
  if (bytes === undefined || (typeof bytes !== "string" && bytes.length > MAX_BODY_BYTES)) {
    throw new DomainError("PAYLOAD_TOO_LARGE", "The request body is over 1 MiB.");
  }
  return typeof bytes === "string" ? bytes : bytes.toString("utf8");
}

function isJsonMediaType(value: string): boolean {
  const type = value.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/** A header by lowercase name (headers are lowercase after `httpHeaderNormalizer`). */
export function headerOf(event: APIGatewayProxyEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  const value =
    headers[name] ?? headers[Object.keys(headers).find((k) => k.toLowerCase() === name) ?? ""];
  return typeof value === "string" ? value : undefined;
}
