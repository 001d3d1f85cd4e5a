import { createReadStream, existsSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { CONSOLE_REFERRER_POLICY, consoleContentSecurityPolicy } from "../console-security-headers";
import { REPO_ROOT } from "../repo-root";

/**
 * The web console on the local stack: the production build in `web/dist` (made by
 * `npm run build:console`, or by `npm start` when stale) served at `/console/`, same origin as
 * the API so no CORS is needed locally. Sends the same security headers as CloudFront. In the
 * cloud the console is served from S3 behind CloudFront instead (console-hosting.ts).
 */
export const CONSOLE_PATH = "/console";

const DIST = join(REPO_ROOT, "web", "dist");

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

function securityHeaders(res: ServerResponse): void {
  res.setHeader("content-security-policy", consoleContentSecurityPolicy());
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("referrer-policy", CONSOLE_REFERRER_POLICY);
}

function plain(res: ServerResponse, status: number, text: string): true {
  securityHeaders(res);
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(text);
  return true;
}

/**
 * Answers a request under `/console` and returns true; returns false for anything else (the
 * API's routes). GET and HEAD only; no directory listings; nothing outside `web/dist`.
 */
export function serveConsole(req: IncomingMessage, res: ServerResponse, dist = DIST): boolean {
  const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
  if (pathname !== CONSOLE_PATH && !pathname.startsWith(`${CONSOLE_PATH}/`)) return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return plain(res, 405, "The console is read-only: GET or HEAD.\n");
  }
  if (pathname === CONSOLE_PATH) {
    res.writeHead(308, { location: `${CONSOLE_PATH}/`, "cache-control": "no-store" });
    res.end();
    return true;
  }
  if (!existsSync(join(dist, "index.html"))) {
    return plain(
      res,
      503,
      "The console is not built: run `npm run build:console` (npm start does it).\n",
    );
  }
  // The API is on this origin: an empty config says so (the cloud deploys its own config.json).
  if (pathname === `${CONSOLE_PATH}/config.json`) {
    securityHeaders(res);
    res.writeHead(200, { "content-type": TYPES[".json"]!, "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : "{}\n");
    return true;
  }
  let relativePath: string;
  try {
    relativePath = decodeURIComponent(pathname.slice(CONSOLE_PATH.length + 1));
  } catch {
    return plain(res, 400, "Bad path.\n");
  }
  if (relativePath === "") relativePath = "index.html";
  const file = normalize(join(dist, relativePath));
  if (
    !file.startsWith(`${dist}${sep}`) ||
    relativePath.split("/").some((part) => part.startsWith("."))
  ) {
    return plain(res, 404, "Not found.\n");
  }
  let size: number;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) return plain(res, 404, "Not found.\n");
    size = stats.size;
  } catch {
    return plain(res, 404, "Not found.\n");
  }
  securityHeaders(res);
  res.writeHead(200, {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "content-length": String(size),
    // Hashed asset names never change content; index.html must be fetched fresh.
    "cache-control": relativePath.startsWith("assets/")
      ? "public, max-age=31536000, immutable"
      : "no-cache",
  });
  if (req.method === "HEAD") {
    res.end();
    return true;
  }
  createReadStream(file).pipe(res);
  return true;
}
