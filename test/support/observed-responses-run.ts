import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { OBSERVED_RESPONSES_DIR } from "./observed-responses";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * globalSetup: each `vitest run` records the local servers' answers in a folder of its own
 * (`test-results/observed-responses/<time>-<pid>/`), named to the workers and the contract test
 * through BITRADER_OBSERVED_RESPONSES; folders of runs older than a day are removed.
 */
export default function observedResponsesOfThisRun(): void {
  mkdirSync(OBSERVED_RESPONSES_DIR, { recursive: true });
  for (const name of readdirSync(OBSERVED_RESPONSES_DIR)) {
    const path = join(OBSERVED_RESPONSES_DIR, name);
    if (Date.now() - statSync(path).mtimeMs > DAY_MS)
      rmSync(path, { recursive: true, force: true });
  }
  const run = join(OBSERVED_RESPONSES_DIR, `${Date.now()}-${process.pid}`);
  mkdirSync(run, { recursive: true });
  process.env.BITRADER_OBSERVED_RESPONSES = run;
}
