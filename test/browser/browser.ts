import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { REPO_ROOT } from "../../lib/repo-root";

/**
 * Debian's Chromium driven by playwright-core, for the console's browser tests and the bench.
 * Never downloads a browser: without `/usr/bin/chromium` (or $CHROMIUM_PATH) it fails with how
 * to install it — CI (`.ci/run`) installs it.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Flags for a quiet, headless, throw-away Chromium on a shared CI machine. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const SCREENSHOT_DIR = join(REPO_ROOT, "test-results", "console");

export interface ConsoleBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<ConsoleBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the console's browser tests need Debian's chromium. ` +
        "Install it with `apt-get install -y chromium` (.ci/run does this when it is missing), or set CHROMIUM_PATH.",
    );
  }
  // playwright-core gives every launch a new, empty user-data-dir and removes it on close.
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return { browser, close: () => browser.close().catch(() => undefined) };
}

/** `web/dist` up to date with the console's sources (builds only when stale). */
export function ensureConsoleBuilt(): void {
  execFileSync(
    process.execPath,
    ["--import", "tsx", join(REPO_ROOT, "web", "build.ts"), "--if-stale"],
    {
      cwd: REPO_ROOT,
      stdio: ["ignore", "ignore", "pipe"],
      timeout: 180_000,
    },
  );
}

/**
 * A page that records what would show a broken console: uncaught errors, console errors and
 * Content-Security-Policy violations.
 */
export async function consolePage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: "en-GB",
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // Chromium logs every 4xx fetch as an error; the API's refusals are expected (the console
    // shows them). Failed responses are judged below instead.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (
      response.status() >= 500 ||
      (url.pathname.startsWith("/console/") && response.status() >= 400)
    ) {
      problems.push(`HTTP ${response.status()} for ${url.pathname}`);
    }
  });
  return { page, problems };
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core run in the page (injected through the DevTools protocol, which the page's CSP does
 * not govern): the WCAG 2.x A and AA rules and best practices; returns the serious and critical
 * violations.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as any).axe; // injected above
    const result = await axe.run((globalThis as any).document, {
      runOnly: {
        type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
      },
      resultTypes: ["violations"],
    });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n: any) => String(n.target)),
    }));
  });
  return (violations as AxeViolation[]).filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
}

/** A full-page screenshot under test-results/console/ (ignored by git). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
