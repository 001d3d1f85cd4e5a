import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { REPO_ROOT } from "../../lib/repo-root";

/**
 * `npm start -- --in-memory` as a child process in its own process group, the way a user or CI
 * runs it: PORT=0, the `ready <url>` line read from stdout, endpoints read from stderr. `script`
 * and `args` choose another entry (a test fixture) or other options (a data directory, --clock).
 */
export interface LocalStackProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly sfnEndpoint: string;
  readonly stateMachineArn: string;
  /** Milliseconds from spawn to the `ready` line. */
  readonly readyAfterMs: number;
  /** Everything printed on stdout so far. */
  stdout(): string;
  /** Everything printed on stderr so far. */
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function spawnLocalStack(
  env: Record<string, string> = {},
  timeoutMs = 30_000,
  options: { script?: string; args?: readonly string[] } = {},
): Promise<LocalStackProcess> {
  const started = Date.now();
  const script = options.script ?? "bin/local.ts";
  const args = options.args ?? ["--in-memory"];
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: "0", SFN_PORT: "0", ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no ready line within ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    const check = () => {
      const match = /^ready (\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on("data", check);
    exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`exited before ready; stderr:\n${stderr}`));
    });
  });
  const readyAfterMs = Date.now() - started;
  const sfn = /step functions\s+(\S+)\s+state machine (\S+)/.exec(stderr);
  if (!sfn) throw new Error(`no step functions line on stderr:\n${stderr}`);
  return {
    child,
    url,
    sfnEndpoint: sfn[1]!,
    stateMachineArn: sfn[2]!,
    readyAfterMs,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
  };
}

/** The DynamoDB Local java processes started by `pid` (its direct children). */
export function dynamoDbLocalChildren(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid), "-f", "DynamoDBLocal"], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** True while the process exists and is not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  try {
    const state = execFileSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" });
    return state.trim() !== "" && !state.trim().startsWith("Z");
  } catch {
    return false;
  }
}

export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((wake) => setTimeout(wake, 50));
  }
  return condition();
}

/** Last-resort cleanup for afterAll: the whole group, then any java it left. */
export function killEverything(stack: LocalStackProcess | undefined, javaPids: number[]): void {
  if (stack?.child.pid !== undefined) {
    try {
      process.kill(-stack.child.pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  for (const pid of javaPids) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // gone
    }
  }
}
