import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { putAll, UNPROCESSED_RETRIES } from "../../../functions/adapters/table-io";
import { TemporarilyUnavailableError } from "../../../functions/core/errors";

/** FI: BatchWriteItem's UnprocessedItems (throttled parts of a batch) in `putAll`. */
const TABLE = "bitrader-test";
const items = Array.from({ length: 30 }, (_, i) => ({ pk: `P#${i}`, sk: "X", n: i }));
const request = (item: Record<string, unknown>) => ({ PutRequest: { Item: item } });

let doc: DynamoDBDocumentClient;
let ddb: ReturnType<typeof mockClient>;

beforeEach(() => {
  vi.useFakeTimers();
  doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: "eu-west-2",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    }),
  );
  ddb = mockClient(doc);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** Runs `putAll` while letting its backoff timers fire. */
async function run(promise: Promise<void>) {
  const settled = promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  await vi.runAllTimersAsync();
  return settled;
}

/** The item keys each BatchWrite request carried. */
function sent(): string[][] {
  return ddb
    .commandCalls(BatchWriteCommand)
    .map((call) =>
      (call.args[0].input.RequestItems![TABLE] ?? []).map((r) => String(r.PutRequest!.Item!.pk)),
    );
}

describe("putAll and UnprocessedItems", () => {
  it("re-sends only the unprocessed items until every item is written", async () => {
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { [TABLE]: [request(items[3]!), request(items[7]!)] } })
      .resolvesOnce({ UnprocessedItems: { [TABLE]: [request(items[7]!)] } })
      .resolves({ UnprocessedItems: {} });
    expect(await run(putAll(doc, TABLE, items))).toBeUndefined();
    const batches = sent();
    expect(batches.map((b) => b.length)).toEqual([25, 2, 1, 5]);
    expect(batches[1]).toEqual(["P#3", "P#7"]);
    expect(batches[2]).toEqual(["P#7"]);
    // Every item reached DynamoDB in a request that left it processed.
    expect(new Set(batches.flat())).toEqual(new Set(items.map((i) => i.pk)));
  });

  it("fails cleanly after the bound when items stay unprocessed, without touching the next batch", async () => {
    ddb.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, unknown[]> }) => ({
      UnprocessedItems: { [TABLE]: input.RequestItems[TABLE]!.slice(0, 1) },
    }));
    const error = await run(putAll(doc, TABLE, items));
    expect(error).toBeInstanceOf(TemporarilyUnavailableError);
    expect(error).toMatchObject({ code: "TEMPORARILY_UNAVAILABLE", reason: "throttling" });
    const batches = sent();
    expect(batches).toHaveLength(1 + UNPROCESSED_RETRIES);
    expect(batches.slice(1).every((b) => b.length === 1 && b[0] === "P#0")).toBe(true);
  });

  it("waits longer between later re-sends (exponential backoff)", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.999);
    const started = Date.now();
    const at: number[] = [];
    ddb.on(BatchWriteCommand).callsFake(() => {
      at.push(Date.now() - started);
      return at.length <= 3 ? { UnprocessedItems: { [TABLE]: [request(items[0]!)] } } : {};
    });
    expect(await run(putAll(doc, TABLE, items.slice(0, 1)))).toBeUndefined();
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    expect(gaps).toHaveLength(3);
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);
  });
});
