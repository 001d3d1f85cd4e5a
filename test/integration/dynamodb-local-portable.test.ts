import { spawn } from "node:child_process";
import { realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { findExecutable } from "../../lib/local/dynamodb-local";
import { REPO_ROOT } from "../../lib/repo-root";

/** Whether any process of the group led by `pid` (the watchdog and java) is still running. */
function alive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((wake) => setTimeout(wake, 100));
  }
  return check();
}

describe("DynamoDB Local where setpriv is missing (macOS and other systems)", () => {
  it("starts, answers, and stops within seconds after its starter is killed with SIGKILL", async () => {
    const java = findExecutable("java", process.env.PATH ?? "");
    expect(java, "the integration tests need a Java runtime").toBeDefined();
    // Only java's own directory: no setpriv on this search path.
    const javaOnly = dirname(realpathSync(java as string));
    expect(findExecutable("setpriv", javaOnly)).toBeUndefined();

    const starter = spawn(
      process.execPath,
      ["--import", "tsx", join(REPO_ROOT, "test/fixtures/local/start-dynamodb-local.ts"), javaOnly],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    const line = await new Promise<string>((answer, reject) => {
      let out = "";
      starter.stdout.setEncoding("utf8");
      starter.stdout.on("data", (chunk: string) => {
        out += chunk;
        if (out.includes("\n")) answer(out.split("\n")[0] as string);
      });
      starter.once("exit", (code) => reject(new Error(`starter exited ${code}: ${out}`)));
    });
    const [, pidText, endpoint] = line.split(" ");
    const pid = Number(pidText);
    const answered = await fetch(endpoint as string).then((r) => r.status);
    expect(answered).toBeGreaterThanOrEqual(200);
    expect(alive(pid)).toBe(true);

    starter.kill("SIGKILL");
    expect(await until(() => !alive(pid), 10_000)).toBe(true);
  }, 60_000);
});
