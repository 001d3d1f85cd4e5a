import type fc from "fast-check";

/** Runs per property in every CI run (reliability.md, catalogue row P). */
export const PROPERTY_RUNS = 1000;

/**
 * fast-check parameters with the seed printed, so any failure can be replayed with
 * `FC_SEED=<seed> npx vitest run <file>`.
 */
export function propertyParams<T>(name: string, numRuns = PROPERTY_RUNS): fc.Parameters<T> {
  const seed = process.env.FC_SEED
    ? Number(process.env.FC_SEED)
    : (Date.now() ^ (process.pid << 8)) >>> 0;
  process.stdout.write(`[fast-check] ${name}: seed=${seed} runs=${numRuns}\n`);
  return { seed, numRuns };
}
