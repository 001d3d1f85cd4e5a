import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../lib/repo-root";
import {
  killEverything,
  type LocalStackProcess,
  spawnLocalStack,
} from "../support/local-stack-process";

const run = promisify(execFile);

/** Runs `bin/<tool>.ts` with arguments; resolves with its exit code and output. */
async function tool(name: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", `bin/${name}.ts`, ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("the command-line tools a person runs", () => {
  it.each(["admin", "simulate", "demo"])("%s --help prints its usage and exits 0", async (name) => {
    const { code, stdout } = await tool(name, ["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run /);
  });

  it.each(["admin", "simulate", "demo"])(
    "%s with an unknown option prints the usage on stderr, exits 2, and shows no stack trace",
    async (name) => {
      const { code, stderr } = await tool(name, ["--no-such-option"]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/usage: npm run /);
      expect(stderr).not.toMatch(/\n\s+at /);
    },
  );

  describe("admin finds the running local stack by itself", () => {
    let stack: LocalStackProcess | undefined;
    const dataDir = mkdtempSync(join(tmpdir(), "bitrader-admin-"));
    beforeAll(async () => {
      stack = await spawnLocalStack({ BITRADER_DATA_DIR: dataDir });
    }, 60_000);
    afterAll(async () => {
      if (stack?.child.pid !== undefined) {
        process.kill(-stack.child.pid, "SIGTERM");
        await stack.exited;
      }
      killEverything(stack, []);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("lists the local executions with no flags, from the stack file", async () => {
      const { code, stdout, stderr } = await tool("admin", ["executions"], {
        BITRADER_DATA_DIR: dataDir,
      });
      expect(stderr).toContain(`using the local stack described in ${join(dataDir, "stack.json")}`);
      expect(code).toBe(0);
      expect(Array.isArray(JSON.parse(stdout))).toBe(true);
    });

    it("a history for an execution that does not exist is one line, exit 1, no stack trace", async () => {
      const { code, stderr } = await tool(
        "admin",
        ["history", `${stack?.stateMachineArn.replace(":stateMachine:", ":execution:")}:nope`],
        { BITRADER_DATA_DIR: dataDir },
      );
      expect(code).toBe(1);
      expect(stderr).toMatch(/^admin history failed: \w+: /m);
      expect(stderr).not.toMatch(/\n\s+at /);
    });
  });
});
