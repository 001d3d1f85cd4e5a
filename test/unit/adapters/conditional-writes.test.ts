import { type DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  applyConditionalWrites,
  type ConditionalWrite,
} from "../../../functions/adapters/conditional-writes";
import { cancelledTransaction, testDocumentClient } from "../../support/mocked-dynamo";

/**
 * Many conditional writes a transaction (workflow steps): a write whose own condition fails is
 * skipped and the others still apply, as if each had been sent alone; conflicts are retried.
 * DynamoDB Local cannot produce a TransactionConflict, hence the mock.
 */
const TABLE = "bitrader-test";
const writes: ConditionalWrite[] = Array.from({ length: 230 }, (_, i) => ({
  Put: {
    TableName: TABLE,
    Item: { pk: `P#${i}`, sk: "X" },
    ConditionExpression: "attribute_not_exists(pk)",
  },
}));

let doc: DynamoDBDocumentClient;
let ddb: ReturnType<typeof mockClient>;

beforeEach(() => {
  doc = testDocumentClient();
  ddb = mockClient(doc);
});

const sentKeys = () =>
  ddb
    .commandCalls(TransactWriteCommand)
    .map((c) => (c.args[0].input.TransactItems ?? []).map((t) => String(t.Put?.Item?.pk)));

describe("applyConditionalWrites", () => {
  it("sends up to 100 writes a request", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    expect(await applyConditionalWrites(doc, writes)).toEqual({ skipped: 0 });
    expect(sentKeys().map((k) => k.length)).toEqual([100, 100, 30]);
    expect(sentKeys().flat()).toEqual(writes.map((w) => w.Put?.Item?.pk));
  });

  it("skips the writes whose condition failed and applies the rest of their transaction", async () => {
    const codes = writes
      .slice(0, 100)
      .map((_, i) => (i % 10 === 3 ? "ConditionalCheckFailed" : "None"));
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelledTransaction(...codes))
      .resolves({});
    expect(await applyConditionalWrites(doc, writes.slice(0, 100))).toEqual({ skipped: 10 });
    const [first, second] = sentKeys();
    expect(first).toHaveLength(100);
    expect(second).toHaveLength(90);
    expect(second).not.toContain("P#3");
    expect(second).toContain("P#4");
  });

  it("retries a transaction conflict and then succeeds", async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelledTransaction("None", "TransactionConflict", "None"))
      .resolves({});
    expect(await applyConditionalWrites(doc, writes.slice(0, 3))).toEqual({ skipped: 0 });
    expect(sentKeys()).toEqual([
      ["P#0", "P#1", "P#2"],
      ["P#0", "P#1", "P#2"],
    ]);
  });

  it("gives up after a bounded number of conflicts", async () => {
    ddb.on(TransactWriteCommand).rejects(cancelledTransaction("TransactionConflict"));
    await expect(applyConditionalWrites(doc, writes.slice(0, 1))).rejects.toThrow(/cancelled/i);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(8);
  }, 20_000);

  it("does not swallow any other cancellation reason", async () => {
    ddb.on(TransactWriteCommand).rejects(cancelledTransaction("ValidationError", "None"));
    await expect(applyConditionalWrites(doc, writes.slice(0, 2))).rejects.toThrow();
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});
