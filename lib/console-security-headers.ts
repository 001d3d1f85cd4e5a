/**
 * The console's security headers, data only: the CloudFront response headers policy
 * (`lib/constructs/console-hosting.ts`) and the local stack's static server
 * (`lib/local/console-static.ts`) both send these, so a page that breaks the policy breaks in
 * the browser tests too. The console loads nothing but its own files and talks only to the API.
 */
export interface ConsoleCspOptions {
  /** Where the API answers, e.g. `https://abc123.execute-api.eu-west-2.amazonaws.com`; omit for the console's own origin. */
  readonly apiOrigin?: string;
}

/** Content-Security-Policy: own scripts and styles only, no inline code, no frames, no plugins. */
export function consoleContentSecurityPolicy(options: ConsoleCspOptions = {}): string {
  const connect = ["'self'", ...(options.apiOrigin ? [options.apiOrigin] : [])].join(" ");
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Referrer-Policy: the API and any link see no console URL. */
export const CONSOLE_REFERRER_POLICY = "no-referrer";

/** Strict-Transport-Security max-age (2 years), sent over HTTPS only. */
export const CONSOLE_HSTS_SECONDS = 63_072_000;
