/**
 * The console's build, run only when needed: `npm run build:console` always builds;
 * `--if-stale` (used by `npm start`, the browser tests, the bench and the CDK app) builds only
 * when `web/dist` is missing or was built from other sources. Staleness is a SHA-256 over the
 * console's sources, its build config and the lockfile, kept in `web/dist/.source-hash` — not
 * file times, which a checkout changes. Vite's output goes to stderr, so `npm -s start` keeps
 * stdout to its one `ready` line. Concurrent callers (parallel test files) take a lock file.
 */

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const WEB_ROOT = fileURLToPath(new URL(".", import.meta.url));
export const CONSOLE_DIST = join(WEB_ROOT, "dist");
const REPO = join(WEB_ROOT, "..");
const HASH_FILE = join(CONSOLE_DIST, ".source-hash");
const LOCK_FILE = join(WEB_ROOT, ".build.lock");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The hash of everything the build reads. */
export function consoleSourceHash(): string {
  const hash = createHash("sha256");
  const files = [
    ...filesUnder(join(WEB_ROOT, "src")),
    join(WEB_ROOT, "index.html"),
    join(WEB_ROOT, "vite.config.ts"),
    join(REPO, "package-lock.json"),
  ].sort();
  for (const file of files) {
    hash.update(relative(REPO, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

export function consoleIsFresh(hash = consoleSourceHash()): boolean {
  return (
    existsSync(join(CONSOLE_DIST, "index.html")) &&
    existsSync(HASH_FILE) &&
    readFileSync(HASH_FILE, "utf8").trim() === hash
  );
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withLock<T>(work: () => T): T {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      const fd = openSync(LOCK_FILE, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A lock left by a process that died is taken over.
      const holder = Number(readFileSync(LOCK_FILE, "utf8"));
      let alive = Number.isInteger(holder) && holder > 0;
      if (alive) {
        try {
          process.kill(holder, 0);
        } catch {
          alive = false;
        }
      }
      const age = Date.now() - statSync(LOCK_FILE).mtimeMs;
      if (!alive || age > 180_000) rmSync(LOCK_FILE, { force: true });
      else if (Date.now() > deadline)
        throw new Error(`the console build lock ${LOCK_FILE} is held`);
      else sleep(200);
    }
  }
  try {
    return work();
  } finally {
    rmSync(LOCK_FILE, { force: true });
  }
}

/** Builds `web/dist` (always, or only when stale); returns whether it built. */
export function buildConsole(options: { ifStale: boolean }): boolean {
  return withLock(() => {
    const hash = consoleSourceHash();
    if (options.ifStale && consoleIsFresh(hash)) return false;
    const vite = join(REPO, "node_modules", "vite", "bin", "vite.js");
    const result = spawnSync(
      process.execPath,
      [vite, "build", "--config", join(WEB_ROOT, "vite.config.ts"), "--logLevel", "warn"],
      { cwd: REPO, stdio: ["ignore", 2, 2], env: { ...process.env, NODE_ENV: "production" } },
    );
    if (result.status !== 0) {
      throw new Error(`the console build failed (vite exited ${result.status ?? result.signal})`);
    }
    writeFileSync(HASH_FILE, `${hash}\n`);
    return true;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ifStale = process.argv.includes("--if-stale");
  try {
    const started = Date.now();
    const built = buildConsole({ ifStale });
    process.stderr.write(
      built
        ? `console built in ${Date.now() - started} ms: ${relative(process.cwd(), CONSOLE_DIST) || CONSOLE_DIST}\n`
        : "console up to date\n",
    );
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
