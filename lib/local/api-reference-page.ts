import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The API reference on the local stack at `/docs`: the OpenAPI document `GET /openapi.json`
 * serves, rendered by Scalar's API reference (the package's own browser bundle, served from
 * node_modules at `/docs/api-reference.js`; no CDN, no web fonts fetched). The page's own
 * script is a file too (`/docs/start.js`), so the Content-Security-Policy allows no inline code.
 */
export const API_REFERENCE_PATH = "/docs";

const START_SCRIPT = `Scalar.createApiReference("#reference", {
  url: "/openapi.json",
  withDefaultFonts: false,
  hideClientButton: true,
  showDeveloperTools: "never",
  agent: { disabled: true },
  mcp: { disabled: true },
  telemetry: false,
  theme: "default",
  metaData: { title: "BiTraDER API reference" },
});
`;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>BiTraDER API reference</title>
    <link rel="icon" href="data:," />
  </head>
  <body>
    <main id="reference"></main>
    <script src="${API_REFERENCE_PATH}/api-reference.js"></script>
    <script src="${API_REFERENCE_PATH}/start.js"></script>
  </body>
</html>
`;

/** Scalar injects its styles at run time: styles may be inline, scripts may not. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

let bundle: Buffer | undefined;
function scalarBundle(): Buffer {
  if (bundle === undefined) {
    // The package exports no package.json: its main module is dist/index.js, beside dist/browser.
    const require = createRequire(import.meta.url);
    const distDir = dirname(require.resolve("@scalar/api-reference"));
    bundle = readFileSync(join(distDir, "browser", "standalone.js"));
  }
  return bundle;
}

function send(res: ServerResponse, type: string, body: string | Buffer, head: boolean): true {
  res.writeHead(200, {
    "content-type": type,
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
  });
  res.end(head ? undefined : body);
  return true;
}

/** Answers `/docs`, `/docs/` and its two scripts (GET or HEAD) and returns true; else false. */
export function serveApiReference(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
  const head = req.method === "HEAD";
  switch (pathname) {
    case API_REFERENCE_PATH:
    case `${API_REFERENCE_PATH}/`:
      return send(res, "text/html; charset=utf-8", PAGE, head);
    case `${API_REFERENCE_PATH}/api-reference.js`:
      return send(res, "text/javascript; charset=utf-8", scalarBundle(), head);
    case `${API_REFERENCE_PATH}/start.js`:
      return send(res, "text/javascript; charset=utf-8", START_SCRIPT, head);
    default:
      return false;
  }
}
