import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { putAll, UNPROCESSED_RETRIES } from "../../../functions/adapters/table-io";
import { TemporarilyUnavailableError } from "../../../functions/core/errors";
import { testDocumentClient } from "../../support/mocked-dynamo";

/** FI: BatchWriteItem's UnprocessedItems (throttled parts of a batch) in `putAll`. */
const TABLE = "bitrader-test";
const items = Array.from({ length: 30 }, (_, i) => ({ pk: `P#${i}`, sk: "X", n: i }));
const request = (item: Record<string, unknown>) => ({ PutRequest: { Item: item } });
type Put = ReturnType<typeof request>;

let doc: DynamoDBDocumentClient;
let ddb: ReturnType<typeof mockClient>;

beforeEach(() => {
  vi.useFakeTimers();
  doc = testDocumentClient();
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
    // DynamoDB leaves P#3 unprocessed once and P#7 twice; the two batches go out together.
    const leftOver = new Map([
      ["P#3", 1],
      ["P#7", 2],
    ]);
    ddb.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, Put[]> }) => {
      const unprocessed = input.RequestItems[TABLE]!.filter((r) => {
        const pk = String(r.PutRequest.Item.pk);
        const left = leftOver.get(pk) ?? 0;
        if (left > 0) leftOver.set(pk, left - 1);
        return left > 0;
      });
      return { UnprocessedItems: unprocessed.length > 0 ? { [TABLE]: unprocessed } : {} };
    });
    expect(await run(putAll(doc, TABLE, items))).toBeUndefined();
    const batches = sent();
    expect(batches.slice(0, 2).map((b) => b.length)).toEqual([25, 5]);
    expect(batches.slice(2)).toEqual([["P#3", "P#7"], ["P#7"]]);
    // Every item reached DynamoDB in a request that left it processed.
    expect(new Set(batches.flat())).toEqual(new Set(items.map((i) => i.pk)));
  });

  it("fails cleanly after the bound when items stay unprocessed, and the other batches still land", async () => {
    ddb.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, Put[]> }) => {
      const stuck = input.RequestItems[TABLE]!.filter((r) => r.PutRequest.Item.pk === "P#0");
      return { UnprocessedItems: stuck.length > 0 ? { [TABLE]: stuck } : {} };
    });
    const error = await run(putAll(doc, TABLE, items));
    expect(error).toBeInstanceOf(TemporarilyUnavailableError);
    expect(error).toMatchObject({ code: "TEMPORARILY_UNAVAILABLE", reason: "throttling" });
    const batches = sent();
    const withStuck = batches.filter((b) => b.includes("P#0"));
    expect(withStuck).toHaveLength(1 + UNPROCESSED_RETRIES);
    expect(withStuck.slice(1).every((b) => b.length === 1)).toBe(true);
    expect(batches.filter((b) => !b.includes("P#0")).map((b) => b.length)).toEqual([5]);
  });

  it("keeps at most 8 batch writes in flight", async () => {
    let inFlight = 0;
    let most = 0;
    ddb.on(BatchWriteCommand).callsFake(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 10));
      inFlight -= 1;
      return {};
    });
    const many = Array.from({ length: 25 * 20 }, (_, i) => ({ pk: `M#${i}`, sk: "X" }));
    expect(await run(putAll(doc, TABLE, many))).toBeUndefined();
    expect(sent()).toHaveLength(20);
    expect(most).toBe(8);
  });

  it("starts no further batch once one has failed, and returns only when those in flight settled", async () => {
    let settledAfterReturn = 0;
    let returned = false;
    ddb.on(BatchWriteCommand).callsFake(async (input: { RequestItems: Record<string, Put[]> }) => {
      const first = input.RequestItems[TABLE]![0]!.PutRequest.Item.pk;
      await new Promise((r) => setTimeout(r, first === "M#0" ? 1 : 20));
      if (returned) settledAfterReturn += 1;
      if (first === "M#0") throw new Error("boom");
      return {};
    });
    const many = Array.from({ length: 25 * 20 }, (_, i) => ({ pk: `M#${i}`, sk: "X" }));
    const error = await run(
      putAll(doc, TABLE, many).finally(() => {
        returned = true;
      }),
    );
    expect(error).toMatchObject({ message: "boom" });
    // 8 in flight, plus the one p-limit starts as the failed batch frees its slot.
    expect(sent().length).toBeLessThanOrEqual(9);
    expect(settledAfterReturn).toBe(0);
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
