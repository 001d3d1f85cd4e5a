import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { DomainError } from "../../core/errors";
import type { IdempotencyRecords } from "../../core/ports";
import { logger } from "../../runtime/logger";
import * as ports from "../../runtime/ports";
import type { HttpRoute } from "./http-handler";
import { headerOf } from "./parse-body";

const deps = ports.compose({ clock: ports.clock, ids: ports.ids, idempotency: ports.idempotency });

/**
 * `Idempotency-Key` on a write route (api.md, Conventions), as a wrapper around the route:
 *
 * ```ts
 * export const handler = httpHandler(idempotent(async (event) => {
 *   const body = parseBody(event, Schema);
 *   …
 *   return json(201, created);
 * }));
 * ```
 *
 * - No header: the route just runs.
 * - Scope: per caller (role + principal from the authorizer; on public routes the client's
 *   source address, D-146).
 * - Same key + same request (method, path, JSON body compared canonically) after a success:
 *   the first response is replayed (status, headers, body) with `idempotent-replayed: true`,
 *   and the route does not run again.
 * - Same key + another request: 422 `IDEMPOTENCY_KEY_REUSED`.
 * - Same key while the first request still runs: 409 `IDEMPOTENCY_IN_PROGRESS`.
 * - Only 2xx responses are remembered (and of those only what `remember` accepts); a refused or
 *   failed request releases the key, so a corrected retry with the same key runs (it changed
 *   nothing the first time).
 *
 * Concurrency-safe: the key is taken by a conditional put (the IdempotencyRecords port). Records live
 * 24 h (table TTL). The stored response is encrypted with AES-256-GCM under a key derived
 * (HKDF) from the caller's Idempotency-Key, which is itself stored only as a SHA-256 inside the
 * record's id, so responses carrying a one-time secret (claim secret, API key) are not readable
 * from the table (docs/decisions.md D-21). Use a random key (a UUID).
 */
export interface IdempotentOptions {
  /** @default 86400 (24 h) */
  readonly ttlSeconds?: number;
  /** How long a request holds the key before another may take it over. @default 30000 */
  readonly lockMs?: number;
  /** @default deps.clock */
  readonly nowMs?: () => number;
  /** @default deps.idempotency */
  readonly store?: () => IdempotencyRecords;
  /**
   * Which 2xx answers are outcomes to remember; the others release the key like a refusal (a
   * pre-signed upload's 202 `processing` is progress, not its outcome, D-232). @default every 2xx
   */
  readonly remember?: (response: APIGatewayProxyResult) => boolean;
}

export const IDEMPOTENCY_HEADER = "idempotency-key";
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function idempotent(route: HttpRoute, options: IdempotentOptions = {}): HttpRoute {
  const ttlSeconds = options.ttlSeconds ?? 86_400;
  const lockMs = options.lockMs ?? 30_000;
  const nowMs = options.nowMs ?? (() => deps.clock.nowMs());
  const store = options.store ?? (() => deps.idempotency);
  const remember = options.remember ?? (() => true);

  return async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const key = headerOf(event, IDEMPOTENCY_HEADER);
    if (key === undefined) return route(event, context);
    if (!KEY_PATTERN.test(key)) {
      throw new DomainError("VALIDATION_FAILED", "The Idempotency-Key header is invalid.", [
        { path: "headers.idempotency-key", message: "must be 1 to 255 printable ASCII characters" },
      ]);
    }
    const scope = callerScope(event);
    const scopeHash = sha256(`bitrader-idempotency\u0000${scope}\u0000${key}`);
    const fingerprint = requestFingerprint(event);
    const begun = await store().begin({
      scopeHash,
      fingerprint,
      token: deps.ids.newId("token"),
      nowMs: nowMs(),
      lockMs,
      ttlSeconds,
    });
    if (begun.outcome !== "started") {
      if (begun.fingerprint !== fingerprint) {
        throw new DomainError(
          "IDEMPOTENCY_KEY_REUSED",
          "This Idempotency-Key was used with a different request; use a new key.",
        );
      }
      if (begun.outcome === "in-progress") {
        throw new DomainError(
          "IDEMPOTENCY_IN_PROGRESS",
          "A request with this Idempotency-Key is still running; retry shortly.",
        );
      }
      const replay = JSON.parse(decrypt(begun.response, key, scope)) as APIGatewayProxyResult;
      return { ...replay, headers: { ...replay.headers, "idempotent-replayed": "true" } };
    }
    let response: APIGatewayProxyResult;
    try {
      response = await route(event, context);
    } catch (error) {
      await store().release(scopeHash, begun.token);
      throw error;
    }
    if (response.statusCode >= 200 && response.statusCode < 300 && remember(response)) {
      try {
        await store().complete(
          scopeHash,
          begun.token,
          encrypt(JSON.stringify(response), key, scope),
        );
      } catch (error) {
        // The write happened: answer it. A retry after the lock expires would run again.
        logger.error("could not record the idempotent response", { error: error as Error });
      }
    } else {
      await store().release(scopeHash, begun.token);
    }
    return response;
  };
}

function callerScope(event: APIGatewayProxyEvent): string {
  const authorizer = event.requestContext?.authorizer as
    | { role?: unknown; principalId?: unknown }
    | null
    | undefined;
  if (typeof authorizer?.role === "string" && typeof authorizer.principalId === "string")
    return `${authorizer.role}:${authorizer.principalId}`;
  // D-146: without a key the client is its source address (API Gateway's `identity.sourceIp`),
  // so another client replaying a key and body gets nothing of the first one's answer (a claim
  // secret, an API key): it runs as a request of its own.
  return `anonymous:${event.requestContext?.identity?.sourceIp ?? "unknown"}`;
}

/** Method, path and body; a JSON body canonically (key order and whitespace do not count). */
export function requestFingerprint(event: APIGatewayProxyEvent): string {
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? "", "base64").toString("utf8")
    : (event.body ?? "");
  let body = raw;
  try {
    body = canonicalJson(JSON.parse(raw));
  } catch {
    // not JSON: compare the bytes
  }
  return sha256(`${event.httpMethod}\u0000${event.path}\u0000${body}`);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function responseKey(idempotencyKey: string, scope: string): Buffer {
  return Buffer.from(hkdfSync("sha256", idempotencyKey, scope, "bitrader-idempotent-response", 32));
}

function encrypt(plain: string, idempotencyKey: string, scope: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", responseKey(idempotencyKey, scope), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

function decrypt(stored: string, idempotencyKey: string, scope: string): string {
  const [, iv, tag, body] = stored.split(".");
  const decipher = createDecipheriv(
    "aes-256-gcm",
    responseKey(idempotencyKey, scope),
    Buffer.from(iv!, "base64url"),
  );
  decipher.setAuthTag(Buffer.from(tag!, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(body!, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}
