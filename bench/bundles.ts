import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import pLimit from "p-limit";
import { CONSUMERS } from "../functions/events/consumers";
import { AUTHORIZER, ROUTES } from "../functions/http/routes";
import { WORKFLOWS } from "../functions/workflow/workflows";
import { bundleGroups, esbuildOptions } from "../lib/bundling";
import { REPO_ROOT } from "../lib/repo-root";
import { median } from "./random";

/** One Lambda's bundle: minified size and cold import time relative to a bare `node -e 0`. */
export interface BundleRow {
  fn: string;
  bytes: number;
  /** Absent for the functions a quick run does not time (`timeEvery`). */
  importMs?: number;
  nodeMs?: number;
  importRatio?: number;
}

/** What a child prints last: the CPU time it used from its start, µs (every thread). */
const CPU_REPORT = "const u = process.cpuUsage(); process.stdout.write(String(u.user + u.system));";

/**
 * The CPU time a fresh `node` takes to start and run `script` (an ES module), ms, median of
 * `runs`. CPU time rather than wall time: on the shared machine other sessions' load would
 * otherwise decide the figure (D-125); a cold start is single-threaded parse, compile and run, so
 * two children at a time (one a core) do not change each other's figure much.
 */
async function timeNode(script: string, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const { stdout } = await run(
      process.execPath,
      ["--input-type=module", "-e", `${script}\n${CPU_REPORT}`],
      { encoding: "utf8", env: { ...process.env, AWS_REGION: "eu-west-2" } },
    );
    times.push(Number(stdout.trim().split(/\s+/).pop()) / 1000);
  }
  return median(times);
}

const run = promisify(execFile);

/**
 * Bundles every function as the stack does (lib/bundling.ts: esbuild, ESM, minified, the AWS SDK
 * included but for the clients of grants it does not have, D-127) and times
 * a cold `import()` of each bundle in a fresh node, against a bare node start measured alongside
 * (both in the child's CPU time).
 */
export async function benchBundles({
  runs,
  timeEvery,
}: {
  /** Cold starts a timed function gets (and its bare starts alongside); the median counts. */
  runs: number;
  /** Time every function's import (1), or every n-th in the list (the quick run: D-128). */
  timeEvery: number;
}): Promise<BundleRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "bitrader-bundles-"));
  try {
    const functions = [
      ...ROUTES.map((r) => ({ fn: r.id, entry: r.entry, grants: r.grants })),
      { fn: AUTHORIZER.id, entry: AUTHORIZER.entry, grants: AUTHORIZER.grants },
      ...WORKFLOWS.flatMap((w) =>
        w.tasks.map((t) => ({ fn: t.state, entry: t.entry, grants: t.grants })),
      ),
      ...CONSUMERS.map((c) => ({ fn: c.id, entry: c.entry, grants: c.grants })),
    ];
    const limit = pLimit(2);
    // One esbuild run per set of left-out SDK clients (D-127), each over its entry points.
    for (const group of bundleGroups(functions))
      await build({
        ...esbuildOptions(group.aliases),
        entryPoints: Object.fromEntries(
          group.functions.map(({ fn, entry }) => [fn, join(REPO_ROOT, entry)]),
        ),
        outdir: dir,
        outExtension: { ".js": ".mjs" },
      });
    return await Promise.all(
      functions.map(({ fn }, i) =>
        limit(async (): Promise<BundleRow> => {
          const outfile = join(dir, `${fn}.mjs`);
          const bytes = statSync(outfile).size;
          if (i % timeEvery !== 0) return { fn, bytes };
          // Each import beside its own bare start, so that a slower minute of the shared
          // machine slows both (one bare start alone varied from 57 to 86 ms).
          const nodeMs = await timeNode("", runs);
          const importMs = await timeNode(`await import(${JSON.stringify(outfile)});`, runs);
          return {
            fn,
            bytes,
            importMs: round(importMs),
            nodeMs: round(nodeMs),
            importRatio: round(importMs / nodeMs),
          };
        }),
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
