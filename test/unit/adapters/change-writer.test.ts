import { type DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type Change,
  ChangeRefusedError,
  writeChange,
} from "../../../functions/adapters/change-writer";
import { platformEvent } from "../../../functions/core/events/platform-event";
import { cancelledTransaction, testDocumentClient } from "../../support/mocked-dynamo";

/**
 * R-NOTIFY-3 and R-VERIFY-6 §19: a change and its events in one transaction when they fit, else
 * deterministic batches of gated events and a last transaction with the applied writes and the
 * release; a refused state write takes its group's events with it. The mock shows the requests
 * exactly (and produces the cancellations DynamoDB Local cannot).
 */
const TABLE = "bitrader-test";
let doc: DynamoDBDocumentClient;
let ddb: ReturnType<typeof mockClient>;
beforeEach(() => {
  doc = testDocumentClient();
  ddb = mockClient(doc);
});

const event = (i: number, group = "M1") =>
  platformEvent({
    type: "market.opened",
    recipient: `par-${i}`,
    subject: `mkt-${group}/cyc-1`,
    label: group,
    version: null,
    timestampMs: 0,
    data: { marketId: group, i },
  });
const marketWrite = (id: string) => ({
  group: id,
  write: {
    Update: {
      TableName: TABLE,
      Key: { pk: `MARKET#${id}`, sk: "MARKET" },
      UpdateExpression: "SET #s = :o",
      ConditionExpression: "#s = :p",
    },
  },
});
const applied = {
  write: {
    Update: {
      TableName: TABLE,
      Key: { pk: "CYCLE#cyc-1", sk: "CYCLE" },
      UpdateExpression: "SET #s = :m",
    },
  },
};
const sent = () =>
  ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);
const kinds = (items: ReturnType<typeof sent>[number]) =>
  items.map(
    (t) =>
      String(t.Put?.Item?.kind ?? (t.Update ? "state" : "?")) + (t.Put?.Item?.gated ? "*" : ""),
  );

describe("writeChange", () => {
  it("writes a small change, its events and its release in one transaction, events visible", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const change: Change = {
      changeId: "cycle:cyc-1:open-markets",
      writes: [marketWrite("M1")],
      events: [0, 1, 2].map((i) => ({ event: event(i), group: "M1" })),
      applied: [applied],
    };
    await writeChange(doc, TABLE, change);
    expect(sent().map(kinds)).toEqual([["state", "event", "event", "event", "state", "release"]]);
    for (const put of sent()[0]!.filter((t) => t.Put))
      expect(put.Put?.ConditionExpression).toBe("attribute_not_exists(pk)");
  });

  it("writes a large change in batches of gated events, the applied writes and release last", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const markets = Array.from({ length: 5 }, (_, m) => `M${m}`);
    await writeChange(doc, TABLE, {
      changeId: "cycle:cyc-1:open-markets",
      writes: markets.map(marketWrite),
      events: markets.flatMap((m) =>
        Array.from({ length: 60 }, (_, i) => ({ event: event(i, m), group: m })),
      ),
      applied: [applied],
    });
    const batches = sent();
    expect(batches.map((b) => b.length).every((n) => n <= 100)).toBe(true);
    expect(batches.flat().filter((t) => t.Put?.Item?.kind === "event")).toHaveLength(300);
    for (const t of batches.flat())
      if (t.Put?.Item?.kind === "event") expect(t.Put.Item.gated).toBe(true);
    expect(kinds(batches.at(-1)!)).toEqual(["state", "release"]);
    // A group is kept whole when it fits: each market's write goes with its own 60 events.
    for (const batch of batches.slice(0, -1)) {
      const states = new Set(batch.flatMap((t) => (t.Update ? [String(t.Update.Key?.pk)] : [])));
      for (const t of batch.filter((x) => x.Put?.Item?.kind === "event"))
        expect(states).toContain(`MARKET#${JSON.parse(t.Put!.Item!.event.body).data.marketId}`);
    }
  });

  it("drops a refused state write with its group's events, and an event already stored on its own", async () => {
    // Items: M1, M2 (state), e0 (M1), e1 (M2), e2 (M2), applied, release.
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(
        cancelledTransaction(
          "ConditionalCheckFailed",
          "None",
          "None",
          "None",
          "ConditionalCheckFailed",
          "None",
          "None",
        ),
      )
      .resolves({});
    await writeChange(doc, TABLE, {
      changeId: "c",
      writes: [marketWrite("M1"), marketWrite("M2")],
      events: [
        { event: event(0, "M1"), group: "M1" },
        { event: event(1, "M2"), group: "M2" },
        { event: event(2, "M2"), group: "M2" },
      ],
      applied: [applied],
    });
    const [, second] = sent();
    expect(second!.map((t) => t.Update?.Key?.pk ?? t.Put?.Item?.kind)).toEqual([
      "MARKET#M2",
      "event",
      "CYCLE#cyc-1",
      "release",
    ]);
    expect(second!.filter((t) => t.Put?.Item?.kind === "event")[0]!.Put!.Item!.event.eventId).toBe(
      event(1, "M2").id,
    );
  });

  it("fails the change when a write that must apply is refused", async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelledTransaction("ConditionalCheckFailed", "None", "None"));
    await expect(
      writeChange(doc, TABLE, {
        changeId: "c",
        writes: [{ ...marketWrite("M1"), onRefused: "fail" }],
        events: [{ event: event(0) }],
      }),
    ).rejects.toBeInstanceOf(ChangeRefusedError);
  });
});
