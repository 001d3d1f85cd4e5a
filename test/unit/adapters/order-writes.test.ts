import {
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { AuditLog } from "../../../functions/adapters/audit-log";
import { marketKeys } from "../../../functions/adapters/keys";
import { OrderRepository } from "../../../functions/adapters/order-repository";
import { TemporarilyUnavailableError } from "../../../functions/core/errors";
import type { StoredOrder } from "../../../functions/core/ports";
import { cancelledTransaction, testDocumentClient } from "../../support/mocked-dynamo";

/**
 * FI for the order writes (reliability.md; DynamoDB Local never raises these): transaction
 * conflicts and throttling are retried with the client's own SDK retry strategy, then surface as
 * TemporarilyUnavailableError (HTTP 503, D-32); a failed condition is the matching refusal, at
 * once. aws-sdk-client-mock replaces `send`, so the SDK's own HTTP-level retries do not run here:
 * a throttling exception from `send` is what the caller sees after them.
 */
const TABLE = "bitrader-test";
const scheme = { anmSchemeId: "S1", deliveryDate: "2026-12-02" };
const order: StoredOrder = {
  orderId: "ord-1",
  marketId: "mkt-1",
  participantId: "par-1",
  entryId: "G4-A",
  side: "buy",
  quantityKw: 1000,
  availabilityPence: 2000,
  utilisationPence: 4000,
  submittedAtMs: 1_000,
  cycleId: "cyc-1",
  deliveryDate: scheme.deliveryDate,
  status: "open",
  updatedAtMs: 1_000,
} as StoredOrder;

let doc: DynamoDBDocumentClient;
let ddb: ReturnType<typeof mockClient>;

beforeEach(() => {
  doc = testDocumentClient(3);
  ddb = mockClient(doc);
});

const audit = {
  subject: order.orderId,
  action: "order.placed",
  actor: { role: "participant" as const, principalId: order.participantId },
  at: "2026-12-01T00:00:01.000Z",
};
const repository = () => new OrderRepository(doc, TABLE, new AuditLog(doc, TABLE));
const place = () => repository().placeOrder(order, 4500, { ...scheme, assetId: "ast-1" }, audit);

describe("order writes under transaction conflicts", () => {
  it("retries a transaction cancelled by a TransactionConflict and places the order once it goes through", async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelledTransaction("None", "TransactionConflict", "None", "None"))
      .resolvesOnce({});
    await expect(place()).resolves.toBeUndefined();
    const calls = ddb.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(2);
    // The same write both times: the order, the capacity update, the market, scheme-day, claim
    // and participant checks, and the audit record (D-136, D-139).
    expect(calls[1]!.args[0].input).toEqual(calls[0]!.args[0].input);
    expect(calls[0]!.args[0].input.TransactItems).toHaveLength(7);
  });

  it("gives up after the client's max attempts with a clean TemporarilyUnavailableError", async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelledTransaction("None", "TransactionConflict", "None", "None"));
    const error = await place().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemporarilyUnavailableError);
    expect(error).toMatchObject({ code: "TEMPORARILY_UNAVAILABLE", reason: "contention" });
    expect((error as Error).message).not.toMatch(/Transaction|arn:|dynamodb|Cancel/i);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it("takes its bound from the SDK client's configuration (maxAttempts 5 → 5 attempts)", async () => {
    doc = testDocumentClient(5);
    ddb = mockClient(doc);
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelledTransaction("TransactionConflict", "None", "None", "None"));
    await expect(place()).rejects.toBeInstanceOf(TemporarilyUnavailableError);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(5);
  });

  it("retries an item throttled inside the transaction, reported as throttling when it gives up", async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelledTransaction("None", "ThrottlingError", "None", "None"));
    await expect(place()).rejects.toMatchObject({
      code: "TEMPORARILY_UNAVAILABLE",
      reason: "throttling",
    });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(3);
  }, 15_000);
});

describe("order writes refused by a condition (ConditionalCheckFailed), not retried", () => {
  it.each([
    [
      "the capacity item (R-ORDER-2)",
      ["None", "ConditionalCheckFailed", "None", "None"],
      "QUANTITY_EXCEEDS_CAPACITY",
    ],
    [
      "the market check (closed in between, R-GATE-1)",
      ["None", "None", "ConditionalCheckFailed", "None"],
      "GATE_CLOSED",
    ],
    [
      "the scheme-day check (cycle superseded)",
      ["None", "None", "None", "ConditionalCheckFailed"],
      "GATE_CLOSED",
    ],
    [
      "the capacity item, with a conflict on another item",
      ["None", "ConditionalCheckFailed", "TransactionConflict", "None"],
      "QUANTITY_EXCEEDS_CAPACITY",
    ],
  ])("maps a failed condition on %s to %s", async (_what, codes, refusal) => {
    ddb.on(TransactWriteCommand).rejects(cancelledTransaction(...codes));
    await expect(place()).resolves.toBe(refusal);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it("treats a failed condition on the new order's own item as the order already placed by an earlier attempt", async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelledTransaction("ConditionalCheckFailed", "None", "None", "None"));
    ddb.on(GetCommand, { Key: marketKeys.order(order.orderId) }).resolves({ Item: { ...order } });
    await expect(place()).resolves.toBeUndefined();
  });

  it("fails loudly when the order id belongs to another order", async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelledTransaction("ConditionalCheckFailed", "None", "None", "None"));
    ddb
      .on(GetCommand, { Key: marketKeys.order(order.orderId) })
      .resolves({ Item: { ...order, participantId: "par-2" } });
    await expect(place()).rejects.toThrow(/already taken/);
  });

  it("maps a failed condition on the order of an amendment to ORDER_NOT_OPEN", async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelledTransaction("ConditionalCheckFailed", "None", "None"));
    const after = { ...order, quantityKw: 500, updatedAtMs: 2_000 };
    await expect(
      repository().replaceOrder(order, after, 4500, undefined, scheme, {
        ...audit,
        action: "order.amended",
      }),
    ).resolves.toBe("ORDER_NOT_OPEN");
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});

describe("order writes under throttling", () => {
  it.each([
    ["ProvisionedThroughputExceededException", ProvisionedThroughputExceededException],
    ["ThrottlingException", ThrottlingException],
  ])(
    "turns %s (after the SDK's own retries) into TemporarilyUnavailableError without retrying again",
    async (_name, Exception) => {
      ddb.on(TransactWriteCommand).rejects(
        new Exception({
          message: "Throughput exceeds the current capacity of your table arn:aws:dynamodb:x",
          $metadata: { httpStatusCode: 400 },
        }),
      );
      const error = await place().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "TEMPORARILY_UNAVAILABLE", reason: "throttling" });
      expect((error as Error).message).not.toMatch(/arn:|capacity of your table/);
      expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    },
  );

  it("lets any other SDK error through unchanged (a fault, hidden by the HTTP layer as a 500)", async () => {
    const validation = Object.assign(new Error("One or more parameter values were invalid"), {
      name: "ValidationException",
    });
    ddb.on(TransactWriteCommand).rejects(validation);
    await expect(place()).rejects.toBe(validation);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});
