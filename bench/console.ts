import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { serveConsole } from "../lib/local/console-static";
import { launchChromium } from "../test/browser/browser";
import { buildConsole, CONSOLE_DIST } from "../web/build";
import { median } from "./random";

/** The console's bar (issue: "stays under 300 KB gzipped"). */
export const CONSOLE_BUDGET_GZIP_BYTES = 300 * 1024;

export interface ConsoleBench {
  /** Every file a first visit downloads (HTML, JS, CSS), gzip level 9, summed. */
  bytesGzipped: number;
  bytesRaw: number;
  budgetBytesGzipped: number;
  withinBudget: boolean;
  files: { file: string; bytes: number; bytesGzipped: number }[];
  /** From navigation start to the console's first render (its `console-rendered` mark), median. */
  firstRenderMs: number;
  /** First contentful paint, median. */
  firstContentfulPaintMs: number;
  runs: number;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/**
 * `console` section: the production bundle's size (built first if stale) and the time to the
 * first render of the sign-in page in headless Chromium, served by the local stack's static
 * server from 127.0.0.1 (no API calls happen before sign-in). Each run is a fresh browser
 * context (empty cache). bench/run.ts runs it as the `console` section.
 */
export async function benchConsole(runs = 5): Promise<ConsoleBench> {
  buildConsole({ ifStale: true });
  const files = filesUnder(CONSOLE_DIST)
    .filter((file) => /\.(html|js|css)$/.test(file))
    .map((file) => {
      const content = readFileSync(file);
      return {
        file: relative(CONSOLE_DIST, file),
        bytes: content.length,
        bytesGzipped: gzipSync(content, { level: 9 }).length,
      };
    })
    .sort((a, b) => b.bytesGzipped - a.bytesGzipped);
  const bytesGzipped = files.reduce((sum, f) => sum + f.bytesGzipped, 0);

  const server = createServer((req, res) => {
    if (!serveConsole(req, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/console/`;
  const chromium = await launchChromium();
  const render: number[] = [];
  const paint: number[] = [];
  try {
    for (let run = 0; run < runs; run += 1) {
      const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(url, { waitUntil: "load" });
      await page.locator("h1").waitFor();
      await page.waitForFunction(
        "performance.getEntriesByName('console-rendered').length > 0 && performance.getEntriesByName('first-contentful-paint').length > 0",
      );
      const marks = (await page.evaluate(
        "[performance.getEntriesByName('console-rendered')[0].startTime, performance.getEntriesByName('first-contentful-paint')[0].startTime]",
      )) as [number, number];
      render.push(marks[0]);
      paint.push(marks[1]);
      await context.close();
    }
  } finally {
    await chromium.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return {
    bytesGzipped,
    bytesRaw: files.reduce((sum, f) => sum + f.bytes, 0),
    budgetBytesGzipped: CONSOLE_BUDGET_GZIP_BYTES,
    withinBudget: bytesGzipped <= CONSOLE_BUDGET_GZIP_BYTES,
    files,
    firstRenderMs: Math.round(median(render) * 10) / 10,
    firstContentfulPaintMs: Math.round(median(paint) * 10) / 10,
    runs,
  };
}
