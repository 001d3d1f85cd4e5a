import { join } from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Two groups, run one after the other: every test, and then the contract tests, which read what
 * the others observed (the answers of the local REST server, recorded under
 * `test-results/observed-responses/<run>/` — see lib/local/observed-responses.ts and
 * test/support/observed-responses-run.ts).
 */
export default defineConfig({
  test: {
    reporters: ["default", "./test/support/summary-reporter.ts"],
    globalSetup: ["./test/support/observed-responses-run.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "suite",
          include: ["test/**/*.test.ts"],
          exclude: ["test/contract/**"],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "contract",
          include: [join("test", "contract", "**", "*.test.ts")],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
