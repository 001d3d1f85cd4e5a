/**
 * CORS — data and pure answers (D-119): the API answers cross-origin requests of the console's
 * origin only. One origin is allowed per deployment (the CloudFront distribution's, or the local
 * stack's own); a request from any other origin gets no `Access-Control-Allow-*` header at all,
 * so the browser refuses it. Read by the CDK API (preflight methods, `CORS_ORIGIN`), the local
 * API server (its own origin) and the route middleware (the header on every answer).
 */

/** Request headers the console sends (besides the CORS-safelisted ones). */
export const CORS_ALLOWED_HEADERS = ["content-type", "idempotency-key", "x-api-key"] as const;

/** Response headers the console may read (besides the CORS-safelisted ones). */
export const CORS_EXPOSED_HEADERS = ["idempotent-replayed", "retry-after"] as const;

/** How long a browser may keep a preflight's answer. */
export const CORS_MAX_AGE_SECONDS = 600;

/** The name of the variable that carries the allowed origin to the route functions. */
export const CORS_ORIGIN_VARIABLE = "CORS_ORIGIN";

/** An origin as browsers send it: scheme, host and an optional port, nothing else. */
export function isOrigin(value: string): boolean {
  return /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(value);
}

/** The headers of an ordinary answer: the origin echoed when it is the allowed one, else none. */
export function corsHeaders(
  origin: string | undefined,
  allowed: string | undefined,
): Record<string, string> {
  if (allowed === undefined || origin !== allowed) return {};
  return {
    "access-control-allow-origin": allowed,
    "access-control-expose-headers": CORS_EXPOSED_HEADERS.join(", "),
    vary: "Origin",
  };
}

/** A preflight's headers for a resource taking `methods`; none for another origin. */
export function preflightHeaders(
  origin: string | undefined,
  allowed: string | undefined,
  methods: readonly string[],
): Record<string, string> {
  if (allowed === undefined || origin !== allowed) return { vary: "Origin" };
  return {
    "access-control-allow-origin": allowed,
    "access-control-allow-methods": [...methods, "OPTIONS"].join(", "),
    "access-control-allow-headers": CORS_ALLOWED_HEADERS.join(", "),
    "access-control-max-age": String(CORS_MAX_AGE_SECONDS),
    vary: "Origin",
  };
}
