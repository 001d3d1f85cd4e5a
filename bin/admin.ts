import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { KEY_ID_PATTERN } from "../functions/core/access/api-key";
import { issueAnmKey, issueOperatorKey, revokeApiKey } from "../functions/core/access/api-keys";
import type { Actor } from "../functions/core/access/roles";

/** Who acts when the admin command changes keys: the operator at a shell (audit log). */
const CLI: Actor = { role: "operator", principalId: "admin-cli" };

/**
 * `npm run admin -- <command>`: operator tasks against a deployed stack (AWS credentials and
 * region from the usual AWS environment) or the local stack. With no `--table`,
 * `--state-machine`, `--region` or endpoint flag, and a running `npm start` (its stack file
 * `.local/stack.json`, or `$BITRADER_DATA_DIR/stack.json`), the local stack's table, state
 * machine and endpoints are used.
 */
const USAGE = `usage: npm run admin -- <command> [options]

commands:
  put-key --role operator --name <who> [--table <name>]
      Issues an operator key to a named person or system: stores only its SHA-256 in the table,
      prints the key once on stdout and its keyId on stderr. Other operator keys stay valid.
  put-key --role anm --scheme <anmSchemeId> [--name <system>] [--table <name>]
      Issues an ANM key bound to a registered scheme (as POST /schemes/{id}/anm-keys does).
  revoke-key <keyId> [--table <name>]
      Revokes a key at once (as DELETE /api-keys/{keyId} does).
  executions [--state-machine <arn>] [--limit N]
      The most recent day-ahead cycle executions, as JSON (default 20, at most 1000).
  history [--state-machine <arn>] <executionArn>
      One execution: its status and every state entered and exited, as JSON.

options:
  --table <name>             the stack's table (stack output TableName)
  --state-machine <arn>      the day-ahead cycle state machine (stack output)
  --region <region>          AWS region (default: AWS_REGION, or eu-west-2)
  --dynamodb-endpoint <url>  a DynamoDB endpoint other than AWS's (e.g. DynamoDB Local)
  --sfn-endpoint <url>       a Step Functions endpoint other than AWS's
  --stack-file <path>        the local stack's file (default .local/stack.json)
  -h, --help                 this text

Without --table, --state-machine, --region or an endpoint, the running local stack is used
(started with \`npm start\`).`;

const root = fileURLToPath(new URL("..", import.meta.url));

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        role: { type: "string" },
        name: { type: "string" },
        scheme: { type: "string" },
        table: { type: "string" },
        "state-machine": { type: "string" },
        limit: { type: "string" },
        region: { type: "string" },
        "dynamodb-endpoint": { type: "string" },
        "sfn-endpoint": { type: "string" },
        "stack-file": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    // parseArgs explains unknown options and missing values in one sentence.
    return fail(error instanceof Error ? error.message : String(error));
  }
}

const { values, positionals } = parse();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

interface LocalStackFile {
  readonly dynamoDbEndpoint?: string;
  readonly tableName?: string;
  readonly sfnEndpoint?: string;
  readonly stateMachineArn?: string;
}

/** The running local stack's coordinates, when no flag points elsewhere. */
function localStack(): LocalStackFile | undefined {
  const pointsElsewhere = ["table", "state-machine", "region", "dynamodb-endpoint", "sfn-endpoint"]
    .map((name) => values[name as keyof typeof values])
    .some((value) => value !== undefined);
  if (pointsElsewhere) return undefined;
  const path =
    values["stack-file"] ?? resolve(root, process.env.BITRADER_DATA_DIR || ".local", "stack.json");
  try {
    const file = JSON.parse(readFileSync(path, "utf8")) as LocalStackFile;
    process.stderr.write(`using the local stack described in ${path}\n`);
    return file;
  } catch {
    if (values["stack-file"] !== undefined) fail(`cannot read the stack file ${path}`);
    return undefined;
  }
}

// The runtime reads its environment once, on first use: set it from the flags first.
const setEnv = (name: string, value: string | undefined) => {
  if (value !== undefined) process.env[name] = value;
};
const local = localStack();
setEnv("AWS_REGION", values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION);
setEnv("TABLE_NAME", values.table ?? local?.tableName);
setEnv("STATE_MACHINE_ARN", values["state-machine"] ?? local?.stateMachineArn);
setEnv("DYNAMODB_ENDPOINT", values["dynamodb-endpoint"] ?? local?.dynamoDbEndpoint);
setEnv("SFN_ENDPOINT", values["sfn-endpoint"] ?? local?.sfnEndpoint);

const [command, ...rest] = positionals;
const known = ["put-key", "revoke-key", "executions", "history"];
if (command === undefined) fail("a command is required");
if (!known.includes(command)) fail(`unknown command ${command}`);

async function run(): Promise<void> {
  const { deps } = await import("../functions/runtime/deps");
  switch (command) {
    case "put-key": {
      const role = values.role;
      if (role !== "operator" && role !== "anm") fail("--role must be operator or anm");
      if (!process.env.TABLE_NAME) fail("--table is required (stack output TableName)");
      const name = values.name?.trim();
      if (name !== undefined && (name === "" || name.length > 200 || /\p{Cc}/u.test(name)))
        fail("--name must be 1-200 printable characters");
      const issued =
        role === "operator"
          ? await issueOperatorKey(
              deps,
              name ?? fail("--name is required for an operator key"),
              CLI,
            )
          : await issueAnmKey(
              deps,
              values.scheme ?? fail("--scheme is required for an ANM key"),
              name,
              CLI,
            );
      process.stderr.write(
        `stored a new ${role} key ${issued.keyId} (its hash only); revoke it with revoke-key ${issued.keyId}\n`,
      );
      process.stdout.write(`${issued.apiKey}\n`);
      break;
    }
    case "revoke-key": {
      if (!process.env.TABLE_NAME) fail("--table is required (stack output TableName)");
      if (rest.length !== 1 || !KEY_ID_PATTERN.test(rest[0]!))
        fail("one keyId (key-…) is required");
      const revoked = await revokeApiKey(deps, rest[0]!, CLI);
      process.stdout.write(`${JSON.stringify(revoked, null, 2)}\n`);
      break;
    }
    case "executions": {
      if (!process.env.STATE_MACHINE_ARN) fail("--state-machine is required");
      const limit = values.limit === undefined ? 20 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) fail("--limit must be 1-1000");
      process.stdout.write(`${JSON.stringify(await deps.workflow.list(limit), null, 2)}\n`);
      break;
    }
    case "history": {
      if (!process.env.STATE_MACHINE_ARN) fail("--state-machine is required");
      if (rest.length !== 1) fail("one execution ARN is required");
      const executionArn = rest[0] as string;
      const summary = await deps.workflow.describe(executionArn);
      // Not a usage error: the service has no such execution (D-152). One line, exit 1.
      if (summary === undefined)
        throw Object.assign(new Error(`no execution ${executionArn}`), {
          name: "ExecutionDoesNotExist",
        });
      const steps = await deps.workflow.history(executionArn);
      process.stdout.write(`${JSON.stringify({ ...summary, steps }, null, 2)}\n`);
      break;
    }
  }
}

try {
  await run();
} catch (error) {
  // A failed AWS call or an unreachable endpoint: one line, no stack trace.
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`admin ${command} failed: ${name}: ${message}\n`);
  process.exit(1);
}
