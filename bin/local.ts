import { Console } from "node:console";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type LocalStack, startLocalStack } from "../lib/local/local-stack";

/**
 * `npm start [-- --in-memory]`: the whole platform on this machine (api.md, "The local stack").
 *
 * stdout carries exactly one line, `ready <url>`, once requests are accepted; everything else
 * (endpoints, keys, handler logs) goes to stderr. SIGINT/SIGTERM, or the parent process dying,
 * stop everything, DynamoDB Local included.
 *
 * Environment: PORT (default 3000; 0 picks a free port), SFN_PORT (default PORT+1, or free),
 * BITRADER_DATA_DIR (default .local), BITRADER_OPERATOR_KEY, BITRADER_ANM_KEY.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== "--in-memory");
if (unknown.length > 0) {
  process.stderr.write(
    `unknown option(s): ${unknown.join(" ")}\nusage: npm start [-- --in-memory]\n`,
  );
  process.exit(2);
}
const inMemory = args.includes("--in-memory");

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`${name} must be a port number (0-65535), got ${raw}\n`);
    process.exit(2);
  }
  return port;
}
const port = portFrom("PORT", 3000);
const sfnPort = portFrom("SFN_PORT", port === 0 ? 0 : port + 1);

// Handler logs (Powertools, console) go to stderr so stdout stays machine-readable.
process.env.POWERTOOLS_DEV ??= "true";
globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });

const say = (line: string) => process.stderr.write(`${line}\n`);

let starting: Promise<LocalStack> | undefined;
let stack: LocalStack | undefined;
let stopping = false;
async function shutdown(reason: string, code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`stopping (${reason})`);
  const forced = setTimeout(() => process.exit(code), 4_000);
  forced.unref();
  const started = stack ?? (await starting?.catch(() => undefined));
  await started?.stop().catch(() => undefined);
  process.exit(code);
}

// Signal handling first, so that a signal during start-up also stops what has started.
process.on("SIGINT", () => void shutdown("SIGINT", 0));
process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
process.on("SIGHUP", () => void shutdown("SIGHUP", 0));
process.on("uncaughtException", (error) => {
  say(`unexpected error: ${error.message}`);
  void shutdown("error", 1);
});
// Last resort if we exit without stop() finishing: take DynamoDB Local's process group with us.
process.on("exit", () => {
  if (stack === undefined) return;
  try {
    process.kill(-stack.dynamoDbPid, "SIGKILL");
  } catch {
    // already gone
  }
});
// If whoever started us dies (npm killed, terminal closed), stop rather than linger.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown("parent exited", 0);
}, 1_000).unref();

try {
  starting = startLocalStack({
    root,
    inMemory,
    dataDir: process.env.BITRADER_DATA_DIR || ".local",
    port,
    sfnPort,
    ...(process.env.BITRADER_OPERATOR_KEY
      ? { operatorKey: process.env.BITRADER_OPERATOR_KEY }
      : {}),
    ...(process.env.BITRADER_ANM_KEY ? { anmKey: process.env.BITRADER_ANM_KEY } : {}),
  });
  stack = await starting;
} catch (error) {
  say(`could not start the local stack: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const ready: LocalStack = stack;
if (stopping) await new Promise(() => undefined);

const generated = (role: "operator" | "anm") =>
  ready.generatedKeys.includes(role)
    ? `(generated; set BITRADER_${role.toUpperCase()}_KEY to keep one)`
    : `(from BITRADER_${role.toUpperCase()}_KEY)`;
say("BiTraDER local stack");
say(`  api             ${ready.url}`);
say(`  console         ${ready.url}/console/`);
say(`  step functions  ${ready.sfnEndpoint}  state machine ${ready.stateMachineArn}`);
say(
  `  dynamodb local  ${ready.dynamoDbEndpoint}  table ${ready.tableName}, ${
    inMemory ? "in memory" : `data in ${process.env.BITRADER_DATA_DIR || ".local"}`
  }`,
);
say(`  operator key    ${ready.keys.operator}  ${generated("operator")}`);
say(`  anm key         ${ready.keys.anm}  ${generated("anm")}`);
// For local tools (`npm run demo`, `npm run admin`): where the stack is and its keys, readable by
// this user only.
const stateFile = resolve(root, process.env.BITRADER_DATA_DIR || ".local", "stack.json");
mkdirSync(dirname(stateFile), { recursive: true });
writeFileSync(
  stateFile,
  `${JSON.stringify(
    {
      url: ready.url,
      operatorKey: ready.keys.operator,
      anmKey: ready.keys.anm,
      pid: process.pid,
      dynamoDbEndpoint: ready.dynamoDbEndpoint,
      tableName: ready.tableName,
      sfnEndpoint: ready.sfnEndpoint,
      stateMachineArn: ready.stateMachineArn,
    },
    null,
    2,
  )}\n`,
  { mode: 0o600 },
);
say(`  stack file      ${stateFile}`);
process.stdout.write(`ready ${ready.url}\n`);
