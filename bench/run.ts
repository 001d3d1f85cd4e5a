/**
 * `npm run bench [-- --quick]`: measures the platform against the references that bound it, in one
 * run, and writes `bench/results/latest.json`. Ratios measured in the same process are the figures
 * that count; absolute times on a shared 2-core machine are noise.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchMatching } from "./matching";
import { benchWelfare } from "./welfare";

const quick = process.argv.includes("--quick");
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function main(): Promise<void> {
  const started = Date.now();
  const results: Record<string, unknown> = {
    generatedAt: new Date().toISOString(),
    mode: quick ? "quick" : "full",
    node: process.version,
  };

  log("matching");
  const sizes: [number, number][] = quick
    ? [
        [1_000, 1],
        [10_000, 1],
        [100_000, 1],
        [100_000, 500],
      ]
    : [
        [1_000, 1],
        [10_000, 1],
        [100_000, 1],
        [100_000, 500],
      ];
  results.matching = sizes.map(([n, m]) => benchMatching(n, m, quick ? 1 : 5));

  log("welfare");
  results.welfare = await benchWelfare(quick ? 200 : 1000);

  results.wallMs = Date.now() - started;
  const dir = join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
}

function printTable(results: Record<string, unknown>): void {
  const rows = results.matching as {
    orders: number;
    markets: number;
    engineMs: number;
    sortMs: number;
    ratio: number;
  }[];
  process.stdout.write(
    "matching (engine = rank + match + re-order; ratio = engine / Array.prototype.sort)\n",
  );
  process.stdout.write(
    "| orders | markets | engineMs | sortMs | ratio |\n|---:|---:|---:|---:|---:|\n",
  );
  for (const r of rows)
    process.stdout.write(
      `| ${r.orders} | ${r.markets} | ${r.engineMs} | ${r.sortMs} | ${r.ratio} |\n`,
    );
  const w = results.welfare as {
    instances: number;
    meanRatio: number;
    minRatio: number;
    engineMsMedian: number;
    lpMsMedian: number;
  };
  process.stdout.write("\nwelfare (greedy surplus / LP optimum, HiGHS)\n");
  process.stdout.write(
    "| instances | meanRatio | minRatio | engineMsMedian | lpMsMedian |\n|---:|---:|---:|---:|---:|\n",
  );
  process.stdout.write(
    `| ${w.instances} | ${w.meanRatio} | ${w.minRatio} | ${w.engineMsMedian} | ${w.lpMsMedian} |\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[bench] failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
