import { parseArgs } from "node:util";
import { generateApiKey, hashApiKey } from "../functions/adapters/credentials";

/**
 * `npm run admin -- <command>`: operator tasks against a deployed stack (AWS credentials and
 * region from the usual AWS environment) or the local stack (`--dynamodb-endpoint`,
 * `--sfn-endpoint`).
 *
 *   put-key --role operator|anm --table <name>
 *       Generates a key for the role, stores only its SHA-256 in the table (replacing the role's
 *       previous key) and prints the key once on stdout.
 *   executions --state-machine <arn> [--limit N]
 *       The most recent day-ahead cycle executions, as JSON.
 *   history --state-machine <arn> <executionArn>
 *       One execution: its status and every state entered/exited, as JSON.
 */
const USAGE = `usage:
  npm run admin -- put-key --role operator|anm --table <table> [--region R] [--dynamodb-endpoint URL]
  npm run admin -- executions --state-machine <arn> [--limit N] [--region R] [--sfn-endpoint URL]
  npm run admin -- history --state-machine <arn> <executionArn> [--region R] [--sfn-endpoint URL]`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    role: { type: "string" },
    table: { type: "string" },
    "state-machine": { type: "string" },
    limit: { type: "string" },
    region: { type: "string" },
    "dynamodb-endpoint": { type: "string" },
    "sfn-endpoint": { type: "string" },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

// The runtime reads its environment once, on first use: set it from the flags first.
const setEnv = (name: string, value: string | undefined) => {
  if (value !== undefined) process.env[name] = value;
};
setEnv("AWS_REGION", values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION);
setEnv("TABLE_NAME", values.table);
setEnv("STATE_MACHINE_ARN", values["state-machine"]);
setEnv("DYNAMODB_ENDPOINT", values["dynamodb-endpoint"]);
setEnv("SFN_ENDPOINT", values["sfn-endpoint"]);
const { deps } = await import("../functions/runtime/deps");

const [command, ...rest] = positionals;
switch (command) {
  case "put-key": {
    const role = values.role;
    if (role !== "operator" && role !== "anm") fail("--role must be operator or anm");
    if (!process.env.TABLE_NAME) fail("--table is required (stack output TableName)");
    const apiKey = generateApiKey();
    await deps.apiKeys.replaceBootstrapKey({
      keyHash: hashApiKey(apiKey),
      role,
      principalId: role,
      status: "active",
      createdAt: new Date().toISOString(),
    });
    process.stderr.write(`stored a new ${role} key (its hash only); the previous one is revoked\n`);
    process.stdout.write(`${apiKey}\n`);
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
    const executionArn = rest[0] ?? fail("the execution ARN is required");
    const summary = await deps.workflow.describe(executionArn);
    const steps = await deps.workflow.history(executionArn);
    process.stdout.write(`${JSON.stringify({ ...summary, steps }, null, 2)}\n`);
    break;
  }
  default:
    fail(command === undefined ? "a command is required" : `unknown command ${command}`);
}
