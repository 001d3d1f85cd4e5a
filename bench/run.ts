/**
 * `npm run bench [-- --quick]`: measures the platform against the references that bound it, in one
 * run, and writes `bench/results/latest.json`. Ratios measured in the same process are the figures
 * that count; absolute times on a shared 2-core machine are noise.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { startDynamoDbLocal } from "../lib/local/dynamodb-local";
import { type BundleRow, benchBundles } from "./bundles";
import { benchConsole } from "./console";
import { benchMatching } from "./matching";
import { median } from "./random";
import { SHARED_DYNAMODB_VARIABLE } from "./shared-dynamodb";
import { benchVerification } from "./verification";
import { benchWelfare } from "./welfare";

const quick = process.argv.includes("--quick");
/** `--only=cycle,api` runs a subset (while working on one section); the file then has only those. */
const only = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const wanted = (section: string) => !only || only.includes(section);

/** A section that starts a local stack, in a child process (bench/stack-section.ts). */
function inOwnProcess(section: string, params: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        join(import.meta.dirname, "stack-section.ts"),
        section,
        JSON.stringify(params),
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`the ${section} section exited ${code}`));
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`the ${section} section printed no result`));
      }
    });
  });
}
/** Progress on stderr, with the time of day (the quick run's lanes interleave). */
const log = (message: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 21)}] ${message}\n`);

async function main(): Promise<void> {
  const started = Date.now();
  const sectionMs: Record<string, number> = {};
  const results: Record<string, unknown> = {
    generatedAt: new Date().toISOString(),
    mode: quick ? "quick" : "full",
    node: process.version,
  };

  /** Each section: its name and what it measures; `results[name]` is what it returns. */
  const sections: Record<string, () => Promise<unknown>> = {
    // Quick: the bars' shapes at a fifth of the size (one market; 200 orders per market).
    matching: async () =>
      (
        (quick
          ? [
              [1_000, 1],
              [10_000, 1],
              [20_000, 1],
              [20_000, 100],
            ]
          : [
              [1_000, 1],
              [10_000, 1],
              [100_000, 1],
              [100_000, 500],
            ]) as [number, number][]
      ).map(([n, m]) => benchMatching(n, m, quick ? 1 : 5)),
    // The bar's keys are the correlated family's; the independent stress case rides along in
    // `independent` (docs/decisions.md explains the difference).
    welfare: async () => {
      const count = quick ? 200 : 1000;
      const correlated = await benchWelfare(count, "correlated");
      return { ...correlated, independent: await benchWelfare(count, "independent") };
    },
    // One topology change over the whole scheme against the re-order of its MOLs alone (D-126).
    verification: async () =>
      benchVerification(
        quick
          ? { constraints: 50, entriesPerConstraint: 40, participants: 25, runs: 3 }
          : { constraints: 500, entriesPerConstraint: 40, participants: 250, runs: 5 },
        log,
      ),
    cycle: () =>
      inOwnProcess(
        "cycle",
        quick
          ? { constraints: 10, entriesPerConstraint: 20, participants: 4, orders: 200 }
          : { constraints: 500, entriesPerConstraint: 40, participants: 250, orders: 50_000 },
      ),
    // Issue 17 Done-when 3: a month for a 2,000-entry scheme (50 constraints × 40 entries),
    // ~1,500 trades a day from real cycles, its readings through the pre-signed upload, and the
    // settlement run through the workflow. Quick: 100 entries, 2 days of 75 trades.
    settlement: () =>
      inOwnProcess(
        "settlement",
        quick
          ? {
              constraints: 5,
              entriesPerConstraint: 20,
              participants: 3,
              days: 2,
              offersPerSeller: 3,
              // Two days opening at once took 3–7.5 s here, the other lanes running, and the
              // first day's orders up to 7 s more before the second's start (12 s left 58 of the
              // 180 orders late).
              openBudgetMs: 18_000,
              orderBudgetMs: 60_000,
              // Two gate closures, so the quick run goes through the staggering too.
              cyclesPerClosure: 1,
            }
          : {
              constraints: 50,
              entriesPerConstraint: 40,
              participants: 25,
              days: 30,
              // 50 markets × 10 sellers × 3 offers ≈ 1,500 trades a day from 1,750 orders (D-237).
              offersPerSeller: 3,
              // Opening the month's markets took ~6 s a day with the 30 cycles started at once.
              openBudgetMs: 30_000 + 30 * 6_000,
              // A bound on the section's time; what it cuts off is reported (lateOrders).
              // 20 ms an order (the most the section gives one): 1,050 s for the month's 52,500.
              orderBudgetMs: 1_050_000,
              // Six gate closures of 5 days: 175 s of orders each (50 a second), a few Match
              // steps at a time.
              cyclesPerClosure: 5,
            },
      ),
    api: () => inOwnProcess("api", quick ? { rate: 100, seconds: 2 } : { rate: 120, seconds: 20 }),
    webhooks: () =>
      inOwnProcess(
        "webhooks",
        quick
          ? { events: 200, receivers: 10, slowMs: 500 }
          : { events: 10_000, receivers: 50, slowMs: 2_000 },
      ),
    bundles: () => benchBundles(quick ? { runs: 1, timeEvery: 4 } : { runs: 5, timeEvery: 1 }),
    console: () => benchConsole(quick ? 2 : 5),
  };

  /**
   * The full run measures one section at a time, so that none loads the machine under another.
   * The quick run (a check that every section still runs, on smaller inputs, in under a minute:
   * D-128) runs six lanes side by side, each lane's sections one after another: a lane for each
   * section on a local stack, so that the gate closures the cycle and settlement sections wait
   * for overlap, and two for the sections timed in CPU time or as ratios in one process. The
   * bundles lane is the longest (esbuild for every function), so the console runs after the
   * matching, welfare and verification sections instead.
   */
  const lanes: string[][] = quick
    ? [
        // The stack lanes first: their processes start before the matching blocks this one.
        ["cycle"],
        ["settlement"],
        ["webhooks"],
        ["api"],
        ["bundles"],
        ["matching", "welfare", "verification", "console"],
      ]
    : [Object.keys(sections)];
  const laned = lanes.flat();
  const unlaned = Object.keys(sections).filter((name) => !laned.includes(name));
  if (unlaned.length > 0) throw new Error(`sections in no lane: ${unlaned.join(", ")}`);
  const runSection = async (name: string) => {
    if (!wanted(name)) return;
    const t0 = Date.now();
    log(name);
    results[name] = await sections[name]!();
    sectionMs[name] = Date.now() - t0;
    log(`${name}: ${sectionMs[name]} ms`);
  };
  // The quick run's stack sections share one DynamoDB Local, each with a table of its own (D-128).
  const stackSections = ["cycle", "settlement", "api", "webhooks"];
  const shared =
    quick && stackSections.some(wanted)
      ? await startDynamoDbLocal({ inMemory: true, shortLived: true })
      : undefined;
  if (shared)
    process.env[SHARED_DYNAMODB_VARIABLE] = JSON.stringify({
      endpoint: shared.endpoint,
      pid: shared.pid,
    });
  try {
    await Promise.all(
      lanes.map(async (lane) => {
        for (const name of lane) await runSection(name);
      }),
    );
  } finally {
    await shared?.stop();
  }

  results.wallMs = Date.now() - started;
  results.sectionMs = sectionMs;
  // When, how and on what each section was last measured (an `--only` run refreshes only its own).
  const stamp = {
    generatedAt: results.generatedAt,
    mode: results.mode,
    node: results.node,
    machine: machine(),
  };
  results.sections = Object.fromEntries(
    Object.entries(sectionMs).map(([name, ms]) => [name, { ...stamp, ms }]),
  );
  const dir = join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  // BENCH_OUT: another file name in bench/results, or an absolute path.
  const file = resolve(dir, process.env.BENCH_OUT ?? "latest.json");
  // `--only` refreshes its sections and keeps the others of the last run.
  const kept =
    only && existsSync(file)
      ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>)
      : {};
  const merged = {
    ...kept,
    ...results,
    sections: { ...(kept.sections as object | undefined), ...(results.sections as object) },
  };
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
  printTable(results);
}

/**
 * The machine a run measured on: CPU model and count, memory and the load average when the run
 * ended (a shared machine's other sessions show there; the ratios are measured in one process).
 */
function machine(): Record<string, unknown> {
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${platform()} ${release()}`,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

type Row = Record<string, unknown>;

/** A markdown table of `rows` over `columns` (the README's Performance section uses the same). */
function table(title: string, columns: string[], rows: Row[]): string {
  const cells = (r: Row) => columns.map((c) => String(r[c] ?? "")).join(" | ");
  return [
    title,
    `| ${columns.join(" | ")} |`,
    `|${columns.map(() => "---:").join("|")}|`,
    ...rows.map((r) => `| ${cells(r)} |`),
    "",
  ].join("\n");
}

function printTable(results: Record<string, unknown>): void {
  const out: string[] = [];
  if (results.matching)
    out.push(
      table(
        "matching (engine = rank + match + re-order; ratio = engine / Array.prototype.sort; CPU ms)",
        ["orders", "markets", "engineMs", "sortMs", "ratio"],
        results.matching as Row[],
      ),
    );
  if (results.welfare)
    out.push(
      table(
        "welfare (greedy surplus / LP optimum, HiGHS)",
        [
          "family",
          "instances",
          "meanRatio",
          "minRatio",
          "belowOptimum",
          "engineMsMedian",
          "lpMsMedian",
        ],
        [results.welfare as Row, (results.welfare as Row).independent as Row],
      ),
    );
  if (results.verification)
    out.push(
      table(
        "verification (one topology change over the scheme vs the re-order of the same MOLs alone; CPU ms)",
        [
          "constraints",
          "entries",
          "trades",
          "cancelled",
          "versions",
          "events",
          "verifyMs",
          "reorderMs",
          "ratio",
        ],
        [results.verification as Row],
      ),
    );
  if (results.cycle)
    out.push(
      table(
        "cycle (whole workflow on the local stack; wallMs excludes the wait for gate closure)",
        [
          "constraints",
          "entries",
          "orders",
          "trades",
          "lateOrders",
          "wallMs",
          "maxStatePayloadBytes",
          "dynamodbRequests",
          "dynamodbLowerBound",
        ],
        [results.cycle as Row],
      ),
    );
  if (results.settlement)
    out.push(
      table(
        "settlement (a month of meter readings through the pre-signed upload vs the reader alone)",
        [
          "entries",
          "days",
          "readings",
          "files",
          "fileBytes",
          "uploadReadingsPerSecond",
          "parseReadingsPerSecond",
          "ratio",
        ],
        [results.settlement as Row],
      ),
      table(
        "settlement run (the month's days built by real day-ahead cycles; the settlement workflow on the local stack; bars: payload ≤ 64 KB, requests ≤ 1.25 × the lower bound)",
        [
          "days",
          "trades",
          "minTradesPerDay",
          "statements",
          "runWallMs",
          "maxStatePayloadBytes",
          "dynamodbRequests",
          "dynamodbLowerBound",
          "requestRatio",
          "coarseLowerBound",
          "coarseRequestRatio",
        ],
        [results.settlement as Row],
      ),
    );
  if (results.api)
    out.push(
      table(
        "api (autocannon, separate process; POST /orders and GET /health at the same rate)",
        ["rate", "seconds", "ordersSent", "p99OrderMs", "p99HealthMs", "ratio", "non2xx"],
        [results.api as Row],
      ),
    );
  if (results.webhooks)
    out.push(
      table(
        "webhooks (real local receivers, one slow and one failing; separate process)",
        [
          "events",
          "receivers",
          "eventsPerSecond",
          "p50FirstAttemptMs",
          "p99FirstAttemptMs",
          "attemptsPerEvent",
          "succeeded",
          "failed",
          "lost",
        ],
        [results.webhooks as Row],
      ),
    );
  if (results.bundles) {
    const rows = results.bundles as BundleRow[];
    const timed = rows.filter((r): r is Required<BundleRow> => r.importRatio !== undefined);
    out.push(
      table(
        "bundles (esbuild, minified; cold import relative to a bare node start, CPU ms)",
        ["fn", "bytes", "importMs", "nodeMs", "importRatio"],
        rows as unknown as Row[],
      ),
      `median bundle ${Math.round(median(rows.map((r) => r.bytes)) / 1000)} KB (bar 300 KB), ` +
        `median cold import ${median(timed.map((r) => r.importRatio)).toFixed(2)}x a bare node start (bar 2x; ${timed.length} of ${rows.length} timed)\n`,
    );
  }
  if (results.console)
    out.push(
      table(
        "console (first visit's HTML, JS and CSS gzipped vs the budget; sign-in page in headless Chromium, median)",
        [
          "bytesGzipped",
          "budgetBytesGzipped",
          "withinBudget",
          "firstRenderMs",
          "firstContentfulPaintMs",
          "runs",
        ],
        [results.console as Row],
      ),
    );
  process.stdout.write(`${out.join("\n")}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[bench] failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
