import { DynamoDBStreamSchema, EventBridgeSchema } from "@aws-lambda-powertools/parser/schemas";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBStreamEvent, ScheduledEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../lib/client/api-client";
import { ECHO_WORKFLOW, SCHEDULE_CONSUMER, STREAM_CONSUMER } from "../fixtures/rows/rooms";
import { useLocalStack } from "../support/use-local-stack";

/**
 * The rooms of the house, run for real on the local stack with fixture rows: a stream CONSUMER
 * fed by DynamoDB Local's stream API with the event Lambda gives (checked with Powertools'
 * DynamoDBStreamSchema), its filter, and a partial batch failure delivered again; a schedule
 * CONSUMER fed ScheduledEvents by its timer (EventBridgeSchema); a second WORKFLOW started
 * through the Step Functions API and run to success.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const local = useLocalStack({
  extraWorkflows: [ECHO_WORKFLOW],
  extraConsumers: [STREAM_CONSUMER, SCHEDULE_CONSUMER],
  scheduleOverrides: { [SCHEDULE_CONSUMER.id]: 300 },
});

const received = <T>(name: string): T[] =>
  ((globalThis as unknown as Record<symbol, T[]>)[Symbol.for(name)] ?? []) as T[];
const streamEvents = () => received<DynamoDBStreamEvent>("bitrader.fixture.streamEvents");
const records = () => streamEvents().flatMap((event) => event.Records);

let doc: DynamoDBDocumentClient;
beforeAll(() => {
  doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: "eu-west-2",
      endpoint: local.stack.dynamoDbEndpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    }),
  );
});
afterAll(() => doc?.destroy());

const put = (item: Record<string, unknown>) =>
  doc.send(new PutCommand({ TableName: local.stack.tableName, Item: item }));

describe("a stream consumer on DynamoDB Local's stream", () => {
  it("gets each new item it filters for, in the event shape Lambda gives, and nothing else", async () => {
    await put({ pk: "OTHER#1", sk: "X", note: "filtered out by the partition key prefix" });
    await put({
      pk: "FIXTURE#1",
      sk: "X",
      amountPence: 1234,
      tags: ["a", "b"],
      nested: { ok: true },
    });
    await put({ pk: "FIXTURE#1", sk: "X", amountPence: 1235 }); // MODIFY: filtered out
    const record = await waitFor(
      async () => records().find((r) => r.dynamodb?.Keys?.pk?.S === "FIXTURE#1"),
      (r) => r !== undefined,
      20_000,
      100,
    );
    for (const event of streamEvents())
      expect(DynamoDBStreamSchema.safeParse(event).success).toBe(true);
    expect(record).toMatchObject({
      eventName: "INSERT",
      eventSource: "aws:dynamodb",
      eventSourceARN: local.stack.streamArn,
      dynamodb: {
        Keys: { pk: { S: "FIXTURE#1" }, sk: { S: "X" } },
        NewImage: {
          amountPence: { N: "1234" },
          tags: { L: [{ S: "a" }, { S: "b" }] },
          nested: { M: { ok: { BOOL: true } } },
        },
        StreamViewType: "NEW_AND_OLD_IMAGES",
      },
    });
    expect(typeof record?.dynamodb?.ApproximateCreationDateTime).toBe("number");
    // Give the MODIFY and the other partition time to arrive if they were going to.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(records().map((r) => [r.eventName, r.dynamodb?.Keys?.pk?.S])).toEqual([
      ["INSERT", "FIXTURE#1"],
    ]);
  });

  it("delivers a record the handler reports as failed again, and the records after it once", async () => {
    await put({ pk: "FIXTURE#2", sk: "X", failOnce: true });
    await put({ pk: "FIXTURE#3", sk: "X" });
    const seen = await waitFor(
      async () => records().map((r) => r.dynamodb?.Keys?.pk?.S),
      (pks) => pks.filter((pk) => pk === "FIXTURE#2").length >= 2 && pks.includes("FIXTURE#3"),
      20_000,
      100,
    );
    const afterFailure = seen.slice(seen.indexOf("FIXTURE#2"));
    expect(afterFailure.filter((pk) => pk === "FIXTURE#2")).toHaveLength(2);
  });
});

describe("a schedule consumer", () => {
  it("is invoked on its rate with the event an EventBridge schedule rule gives", async () => {
    const ticks = await waitFor(
      async () => received<ScheduledEvent>("bitrader.fixture.ticks"),
      (list) => list.length >= 2,
      10_000,
      100,
    );
    for (const tick of ticks) {
      expect(EventBridgeSchema.safeParse(tick).success).toBe(true);
      expect(tick).toMatchObject({ "detail-type": "Scheduled Event", source: "aws.events" });
    }
  });
});

describe("a second workflow", () => {
  it("runs its own ASL with its task table through the Step Functions API", async () => {
    const sfn = new SFNClient({
      region: "eu-west-2",
      endpoint: local.stack.sfnEndpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    try {
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: local.stack.stateMachineArns.EchoRun,
          name: "echo-1",
          input: JSON.stringify({ runId: "r-1" }),
        }),
      );
      const done = await waitFor(
        () => sfn.send(new DescribeExecutionCommand({ executionArn })),
        (d) => d.status !== "RUNNING",
        10_000,
        100,
      );
      expect(done.status).toBe("SUCCEEDED");
      expect(JSON.parse(done.output ?? "{}")).toEqual({ runId: "r-1", echoed: true });
      expect(process.env.ECHO_RUN_ARN).toBe(local.stack.stateMachineArns.EchoRun);
    } finally {
      sfn.destroy();
    }
  });
});
