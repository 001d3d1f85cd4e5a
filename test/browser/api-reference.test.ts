import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS } from "../../functions/http/openapi/operations";
import { ROUTES } from "../../functions/http/routes";
import { REPO_ROOT } from "../../lib/repo-root";
import { useLocalStack } from "../support/use-local-stack";
import { type ConsoleBrowser, launchChromium } from "./browser";

const local = useLocalStack();
const SCREENSHOTS = join(REPO_ROOT, "test-results", "docs");
let chromium: ConsoleBrowser;
let page: Page;
const requested: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  chromium = await launchChromium();
  page = await chromium.browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("request", (request) => requested.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
}, 60_000);
afterAll(async () => {
  await chromium?.close();
});

describe("the API reference at /docs", () => {
  it("renders the OpenAPI document the API serves, with every operation", async () => {
    const response = await page.goto(`${local.stack.url}/docs`);
    expect(response?.status()).toBe(200);
    await page.getByText("BiTraDER API", { exact: false }).first().waitFor({ timeout: 30_000 });
    // The sidebar lists every tag (group of operations) of the document, and the first group's
    // operations by their summaries.
    const contracts = ROUTES.map((r) => OPERATIONS[r.id as keyof typeof OPERATIONS]);
    const tags = [...new Set(contracts.flatMap((c) => c.tags ?? []))];
    expect(tags.length).toBeGreaterThan(3);
    const missing: string[] = [];
    for (const tag of tags)
      if ((await page.getByText(tag, { exact: true }).count()) === 0) missing.push(tag);
    for (const contract of contracts.filter((c) => c.tags?.[0] === tags[0]))
      if ((await page.getByText(contract.summary as string, { exact: true }).count()) === 0)
        missing.push(contract.summary as string);
    expect(missing).toEqual([]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "api-reference.png"), fullPage: false });
  }, 60_000);

  it("loads nothing from outside the local stack and logs no error", () => {
    const outside = requested.filter((url) => !url.startsWith(local.stack.url));
    expect(outside).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
