import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { AuditLog } from "../../../functions/adapters/audit-log";
import { accessKeys } from "../../../functions/adapters/keys";
import { changeStatus } from "../../../functions/adapters/status-change";
import { DomainError, TemporarilyUnavailableError } from "../../../functions/core/errors";
import { cancelledTransaction, testDocumentClient } from "../../support/mocked-dynamo";

/**
 * Operator decisions (participants, assets) as one conditional transaction with their audit
 * record (reliability.md promise 6). DynamoDB Local never cancels a transaction for contention,
 * so that path is driven with aws-sdk-client-mock; the integration tests cover the rest for real.
 */
const TABLE = "bitrader-test";
const actor = { role: "operator", principalId: "op-1" } as const;

let doc: DynamoDBDocumentClient;
let ddb: ReturnType<typeof mockClient>;

beforeEach(() => {
  doc = testDocumentClient(3);
  ddb = mockClient(doc);
});

const decide = (reason?: string) =>
  changeStatus(doc, new AuditLog(doc, TABLE), {
    tableName: TABLE,
    key: accessKeys.participant("par-1"),
    noun: "participant",
    subject: "par-1",
    from: "pending",
    to: "approved",
    action: "participant.approved",
    ...(reason === undefined ? {} : { reason }),
    at: "2026-12-01T10:00:00.000Z",
    actor,
    set: { gsi1pk: accessKeys.participantsByStatus("approved") },
  });

describe("changeStatus: operator decisions, conditional and audited (D-32 retries)", () => {
  it("writes the status, its index key and the reason conditionally on the status read, with the audit record, in one transaction", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await decide("documents checked");
    const [call] = ddb.commandCalls(TransactWriteCommand);
    const items = call!.args[0].input.TransactItems!;
    expect(items).toHaveLength(2);
    const update = items[0]!.Update!;
    expect(update.Key).toEqual(accessKeys.participant("par-1"));
    expect(update.ConditionExpression).toBe("#status = :from");
    expect(update.UpdateExpression).toBe(
      "SET #status = :to, updatedAt = :at, #set0 = :set0, statusReason = :reason",
    );
    expect(update.ExpressionAttributeNames).toEqual({ "#status": "status", "#set0": "gsi1pk" });
    expect(update.ExpressionAttributeValues).toEqual({
      ":to": "approved",
      ":from": "pending",
      ":at": "2026-12-01T10:00:00.000Z",
      ":set0": accessKeys.participantsByStatus("approved"),
      ":reason": "documents checked",
    });
    expect(items[1]!.Put!.Item).toMatchObject({
      type: "AuditRecord",
      subject: "par-1",
      action: "participant.approved",
      from: "pending",
      to: "approved",
      reason: "documents checked",
      actor,
    });
    expect(items[1]!.Put!.ConditionExpression).toBe("attribute_not_exists(pk)");
  });

  it("removes an earlier reason when the decision gives none", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await decide();
    const update =
      ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Update!;
    expect(update.UpdateExpression).toBe(
      "SET #status = :to, updatedAt = :at, #set0 = :set0 REMOVE statusReason",
    );
    expect(update.ExpressionAttributeValues).not.toHaveProperty(":reason");
  });

  it("answers a status that changed meanwhile with DECISION_NOT_ALLOWED, at once", async () => {
    ddb.on(TransactWriteCommand).rejects(cancelledTransaction("ConditionalCheckFailed", "None"));
    const error = await decide().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: "DECISION_NOT_ALLOWED" });
    expect((error as Error).message).toContain("participant changed meanwhile");
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it("retries a transaction cancelled by contention with the same items, and gives up cleanly", async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelledTransaction("TransactionConflict", "None"))
      .resolvesOnce({});
    await decide();
    const calls = ddb.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input).toEqual(calls[0]!.args[0].input);

    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(cancelledTransaction("None", "TransactionConflict"));
    const error = await decide().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemporarilyUnavailableError);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });
});
