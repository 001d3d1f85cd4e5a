import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveConsole } from "../../../lib/local/console-static";

/** The local stack's /console/ static server, over real HTTP, on a small fake build. */
const dist = mkdtempSync(join(tmpdir(), "console-dist-"));
const missing = join(dist, "nothing-here");
let server: Server;
let base: string;

beforeAll(async () => {
  mkdirSync(join(dist, "assets"));
  writeFileSync(join(dist, "index.html"), "<!doctype html><title>x</title>");
  writeFileSync(join(dist, "assets", "app-abc123.js"), "console.log(1)");
  writeFileSync(join(dist, ".source-hash"), "deadbeef");
  writeFileSync(join(tmpdir(), "outside.txt"), "secret");
  server = createServer((req, res) => {
    const which = req.headers["x-dist"] === "missing" ? missing : dist;
    if (!serveConsole(req, res, which)) {
      res.writeHead(418);
      res.end("api");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = (path: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, { redirect: "manual", ...init });

describe("the console on the local stack", () => {
  it("serves index.html at /console/ with the security headers, not cached", async () => {
    const response = await get("/console/");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(response.headers.get("content-security-policy")).toContain("connect-src 'self'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(await response.text()).toContain("<title>x</title>");
  });

  it("redirects /console to /console/ so relative asset URLs resolve", async () => {
    const response = await get("/console");
    expect(response.status).toBe(308);
    expect(response.headers.get("location")).toBe("/console/");
  });

  it("serves hashed assets as immutable and answers config.json for the same-origin API", async () => {
    const asset = await get("/console/assets/app-abc123.js");
    expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    const config = await get("/console/config.json");
    expect(await config.json()).toEqual({});
  });

  it.each([
    "/console/../outside.txt",
    "/console/%2e%2e/outside.txt",
    "/console/assets/%2e%2e%2f..%2foutside.txt",
    "/console/.source-hash",
    "/console/assets",
    "/console/nope.js",
  ])(
    "answers 404 for %s (nothing outside the build, no hidden files, no listings)",
    async (path) => {
      const response = await get(path);
      expect([404, 418]).toContain(response.status);
      expect(await response.text()).not.toContain("secret");
    },
  );

  it("refuses writes with 405 and leaves every other path to the API", async () => {
    expect((await get("/console/", { method: "POST", body: "x" })).status).toBe(405);
    expect((await get("/consoles")).status).toBe(418);
    expect((await get("/orders")).status).toBe(418);
  });

  it("says how to build the console when it is not built", async () => {
    const response = await get("/console/", { headers: { "x-dist": "missing" } });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("npm run build:console");
  });
});
