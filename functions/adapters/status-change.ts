import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { Actor } from "../core/access/roles";
import { DomainError } from "../core/errors";
import type { OrderCancellation } from "../core/ports";
import type { AuditLog } from "./audit-log";
import type { ConditionalWrite } from "./conditional-writes";
import { failedConditions, transactWithRetry } from "./dynamo-errors";
import type { ItemKey } from "./keys";
import { CANCELLATION_ITEMS, cancellationWrites } from "./order-repository";

/** DynamoDB's limit of items per transaction. */
const TRANSACTION_ITEMS = 100;

type StatusChangeInput = Parameters<typeof changeStatus>[2];

/**
 * D-136: a decision with the open orders it cancels. When the decision's items and every
 * order's cancellation (3 items each) fit in one transaction they go together — the change, its
 * audit record and the cancellations are then one atomic write. Otherwise, or when an order moved
 * on meanwhile, the decision goes alone and the caller cancels the orders in batches. Returns
 * the ids of the orders cancelled with the decision.
 */
export async function changeStatusCancelling(
  client: DynamoDBDocumentClient,
  audit: AuditLog,
  input: StatusChangeInput,
  cancel: OrderCancellation | undefined,
): Promise<readonly string[]> {
  const own = 2 + (input.alongside?.length ?? 0);
  const orders = cancel?.orders.filter((o) => o.status === "open") ?? [];
  if (
    cancel &&
    orders.length > 0 &&
    own + CANCELLATION_ITEMS * orders.length <= TRANSACTION_ITEMS
  ) {
    const writes = orders.flatMap((order) =>
      cancellationWrites(input.tableName, audit, order, cancel.atMs, cancel.audit(order)),
    );
    try {
      await changeStatus(client, audit, {
        ...input,
        alongside: [...(input.alongside ?? []), ...writes],
      });
      return orders.map((o) => o.orderId);
    } catch (error) {
      // An order that moved on meanwhile: decide alone, the caller cancels what is still open.
      if (!failedConditions(error)?.some((index) => index > own - 2)) throw error;
    }
  }
  await changeStatus(client, audit, input);
  return [];
}

/**
 * An operator's decision on a participant or an asset (reliability.md promise 6): the status
 * moves from `from` to `to` only if it still reads `from`, in one transaction with its audit
 * record and any `alongside` writes. A concurrent change makes it fail with 409
 * `DECISION_NOT_ALLOWED` and change nothing; contention and throttling are retried
 * ({@link transactWithRetry}).
 */
export async function changeStatus(
  client: DynamoDBDocumentClient,
  audit: AuditLog,
  input: {
    tableName: string;
    key: ItemKey;
    /** What the subject is, for the refusal: "participant", "asset". */
    noun: string;
    subject: string;
    from: string;
    to: string;
    action: string;
    reason?: string;
    at: string;
    actor: Actor;
    /** Further attributes set with the status (e.g. an index key that follows it). */
    set?: Record<string, string>;
    alongside?: ConditionalWrite[];
  },
): Promise<void> {
  const { tableName, key, subject, from, to, action, reason, at, actor } = input;
  const set = Object.entries(input.set ?? {});
  const assignments = [
    "#status = :to",
    "updatedAt = :at",
    ...set.map((_, i) => `#set${i} = :set${i}`),
    ...(reason === undefined ? [] : ["statusReason = :reason"]),
  ];
  const update: ConditionalWrite = {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET ${assignments.join(", ")}${reason === undefined ? " REMOVE statusReason" : ""}`,
      ConditionExpression: "#status = :from",
      ExpressionAttributeNames: {
        "#status": "status",
        ...Object.fromEntries(set.map(([name], i) => [`#set${i}`, name])),
      },
      ExpressionAttributeValues: {
        ":to": to,
        ":from": from,
        ":at": at,
        ...Object.fromEntries(set.map(([, value], i) => [`:set${i}`, value])),
        ...(reason === undefined ? {} : { ":reason": reason }),
      },
    },
  };
  const record = audit.transactItem({
    subject,
    action,
    actor,
    at,
    from,
    to,
    ...(reason ? { reason } : {}),
  });
  try {
    await transactWithRetry(client, () =>
      client.send(
        new TransactWriteCommand({
          TransactItems: [update, ...(input.alongside ?? []), record],
        }),
      ),
    );
  } catch (error) {
    if (failedConditions(error)?.includes(0)) {
      throw new DomainError(
        "DECISION_NOT_ALLOWED",
        `The ${input.noun} changed meanwhile; read it and decide again.`,
      );
    }
    throw error;
  }
}
