import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TABLE_SPEC } from "../../functions/adapters/table-spec";
import { type DynamoDbLocal, startDynamoDbLocal } from "../../lib/local/dynamodb-local";
import { type LocalStack, startLocalStack } from "../../lib/local/local-stack";
import { REPO_ROOT } from "../../lib/repo-root";

/**
 * The quick bench's stack sections share one DynamoDB Local (D-128): a stack given
 * `sharedDynamoDb` starts no java of its own, works in its own table, and takes only that table
 * with it when it stops.
 */
const TABLE = "shared-test-table";
let dynamo: DynamoDbLocal;
let stack: LocalStack | undefined;
let client: DynamoDBClient;

const tables = async () => (await client.send(new ListTablesCommand({}))).TableNames ?? [];

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({ inMemory: true, shortLived: true });
  client = new DynamoDBClient({
    region: "eu-west-2",
    endpoint: dynamo.endpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});

afterAll(async () => {
  await stack?.stop();
  client?.destroy();
  await dynamo?.stop();
});

describe("a local stack on a DynamoDB Local it did not start", () => {
  it("uses that java and a table of its own, and leaves both as it found them when it stops", async () => {
    stack = await startLocalStack({
      root: REPO_ROOT,
      inMemory: true,
      sharedDynamoDb: { endpoint: dynamo.endpoint, pid: dynamo.pid },
      tableName: TABLE,
    });
    expect(stack.dynamoDbEndpoint).toBe(dynamo.endpoint);
    expect(stack.dynamoDbPid).toBe(dynamo.pid);
    expect(stack.tableName).toBe(TABLE);
    expect(await tables()).toEqual([TABLE]);
    expect(TABLE).not.toBe(TABLE_SPEC.name);

    // The handlers write to that table: an operator's request is served and audited in it.
    const health = await fetch(`${stack.url}/health`);
    expect(health.status).toBe(200);
    const participants = await fetch(`${stack.url}/participants`, {
      headers: { "x-api-key": stack.keys.operator },
    });
    expect(participants.status).toBe(200);

    await stack.stop();
    stack = undefined;
    expect(await tables()).toEqual([]);
    // The java is still there for the next stack.
    expect(process.kill(dynamo.pid, 0)).toBe(true);
  });
});
