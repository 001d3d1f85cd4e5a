import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { AuditEntry } from "../core/access/audit";
import {
  DEFAULT_PAGE_LIMIT,
  encodeToken,
  invalidPageToken,
  type Page,
  type PageRequest,
  tokenObject,
} from "../core/model/paging";
import { recordInstant } from "../core/model/settlement-periods";
import type { DeliveryFilter, DeliveryLease, DeliveryStore } from "../core/ports";
import {
  DELIVERY_RETENTION_MS,
  type DeliveryUpdate,
  KEPT_ATTEMPTS,
  type WebhookDelivery,
} from "../core/webhooks/model";
import type { AuditLog } from "./audit-log";
import type { ConditionalWrite } from "./conditional-writes";
import { cancellationCodes, isConditionFailure, transactWithRetry } from "./dynamo-errors";
import { DUE_SHARDS, outboxKeys, webhookKeys } from "./keys";
import { RETRY_POLICY, sendUntilDone } from "./retry";
import { queryAll, withoutKeys } from "./table-io";

/** Attributes of a delivery item that are not the record. */
const LEASE = ["leaseToken", "leaseUntilMs", "expiration"] as const;

function toDelivery(item: Record<string, unknown>): WebhookDelivery {
  const record = withoutKeys<Record<string, unknown>>(item);
  for (const name of LEASE) delete record[name];
  // A delivery item's `type` is the event type (withoutKeys drops `type` as an item tag).
  return { ...record, type: item.type } as unknown as WebhookDelivery;
}

/** When a delivery is due: a requested manual retry, else its next scheduled attempt if pending. */
function dueAtOf(d: Pick<WebhookDelivery, "status" | "nextAttemptAtMs" | "retryRequestedAtMs">) {
  if (d.retryRequestedAtMs !== undefined) return d.retryRequestedAtMs;
  return d.status === "pending" ? d.nextAttemptAtMs : undefined;
}

/**
 * Webhook deliveries (R-NOTIFY-6..8): one item per (event, endpoint owner) with its attempts,
 * listed per owner newest first (gsi1) and, while due, in a sharded due index (gsi2) the retry
 * dispatcher reads. Every attempt happens under a lease taken by a conditional update, so two
 * dispatchers never send one delivery at once, and a dispatcher that dies leaves a lease that
 * lapses (nothing is lost). Items expire after 30 days (the table's TTL).
 */
export class WebhookDeliveryRepository implements DeliveryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
  ) {}

  private item(d: WebhookDelivery, lease: DeliveryLease | undefined): Record<string, unknown> {
    const dueAt = dueAtOf(d);
    return {
      ...webhookKeys.delivery(d.deliveryId),
      gsi1pk: webhookKeys.deliveriesOf(d.owner),
      gsi1sk: webhookKeys.deliveryOrder(recordInstant(d.createdAtMs), d.deliveryId),
      ...(dueAt === undefined
        ? {}
        : {
            gsi2pk: webhookKeys.dueShard(webhookKeys.shardOf(d.deliveryId)),
            gsi2sk: webhookKeys.dueOrder(recordInstant(dueAt), d.deliveryId),
          }),
      ...d,
      ...(lease ? { leaseToken: lease.token, leaseUntilMs: lease.untilMs } : {}),
      expiration: Math.floor((d.createdAtMs + DELIVERY_RETENTION_MS) / 1000),
    };
  }

  async createAll(
    deliveries: ReadonlyArray<WebhookDelivery>,
    lease: DeliveryLease,
  ): Promise<Set<string>> {
    const created = new Set<string>();
    for (let i = 0; i < deliveries.length; i += 100) {
      const chunk = deliveries.slice(i, i + 100);
      let last: unknown;
      await sendUntilDone(
        chunk,
        async (pending) => {
          try {
            await this.client.send(
              new TransactWriteCommand({
                TransactItems: pending.map((d) => ({
                  Put: {
                    TableName: this.tableName,
                    Item: this.item(d, d.status === "pending" ? lease : undefined),
                    ConditionExpression: "attribute_not_exists(pk)",
                  },
                })),
              }),
            );
            for (const d of pending) created.add(d.deliveryId);
            return { rest: undefined, backOff: false };
          } catch (error) {
            const codes = cancellationCodes(error);
            if (!codes || codes.length !== pending.length) throw error;
            const other = codes.filter((c) => c !== "None" && c !== "ConditionalCheckFailed");
            if (other.some((c) => c !== "TransactionConflict" && c !== "ThrottlingError"))
              throw error;
            last = error;
            const rest = pending.filter((_, k) => codes[k] !== "ConditionalCheckFailed");
            return { rest: rest.length > 0 ? rest : undefined, backOff: other.length > 0 };
          }
        },
        { maxAttempts: RETRY_POLICY.conditionalWriteAttempts, exhausted: () => last as Error },
      );
    }
    return created;
  }

  async get(deliveryId: string): Promise<WebhookDelivery | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: webhookKeys.delivery(deliveryId),
        ConsistentRead: true,
      }),
    );
    return Item ? toDelivery(Item) : undefined;
  }

  async list(
    owner: string,
    filter: DeliveryFilter,
    page: PageRequest,
  ): Promise<Page<WebhookDelivery>> {
    const limit = page.limit ?? DEFAULT_PAGE_LIMIT;
    const partition = webhookKeys.deliveriesOf(owner);
    let start: Record<string, unknown> | undefined;
    if (page.nextToken !== undefined) {
      const key = tokenObject(page.nextToken);
      if (
        key === undefined ||
        key.gsi1pk !== partition ||
        !Object.values(key).every((v) => typeof v === "string")
      )
        throw invalidPageToken();
      start = key;
    }
    const names: Record<string, string> = { "#p": "gsi1pk" };
    const values: Record<string, unknown> = { ":p": partition };
    let keyCondition = "#p = :p";
    if (filter.fromMs !== undefined || filter.toMs !== undefined) {
      values[":from"] = recordInstant(filter.fromMs ?? 0);
      values[":to"] = `${recordInstant(filter.toMs ?? 253402300799000)}#~`;
      names["#s"] = "gsi1sk";
      keyCondition += " AND #s BETWEEN :from AND :to";
    }
    const filters: string[] = [];
    if (filter.status !== undefined) {
      names["#status"] = "status";
      values[":status"] = filter.status;
      filters.push("#status = :status");
    }
    if (filter.type !== undefined) {
      names["#type"] = "type";
      values[":type"] = filter.type;
      filters.push("#type = :type");
    }
    const items: Record<string, unknown>[] = [];
    // A filtered page is filled from several reads (at most 10, then it ends where it is).
    for (let reads = 0; reads < 10 && items.length < limit; reads += 1) {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: "gsi1",
          KeyConditionExpression: keyCondition,
          ...(filters.length > 0 ? { FilterExpression: filters.join(" AND ") } : {}),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: limit - items.length,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey;
      if (start === undefined) break;
    }
    const lastItem = items.at(-1);
    // Full page: the next one starts after its last item; else where the last read stopped.
    const nextKey =
      items.length >= limit && lastItem
        ? { pk: lastItem.pk, sk: lastItem.sk, gsi1pk: lastItem.gsi1pk, gsi1sk: lastItem.gsi1sk }
        : start;
    return {
      items: items.map(toDelivery),
      ...(nextKey ? { nextToken: encodeToken(nextKey) } : {}),
    };
  }

  async due(nowMs: number, limit: number): Promise<string[]> {
    const upto = `${recordInstant(nowMs)}#~`;
    const perShard = Math.max(1, Math.ceil(limit / DUE_SHARDS));
    const shards = await Promise.all(
      Array.from({ length: DUE_SHARDS }, (_, shard) =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: "gsi2",
            KeyConditionExpression: "gsi2pk = :p AND gsi2sk <= :upto",
            FilterExpression: "attribute_not_exists(leaseUntilMs) OR leaseUntilMs < :now",
            ExpressionAttributeValues: {
              ":p": webhookKeys.dueShard(shard),
              ":upto": upto,
              ":now": nowMs,
            },
            Limit: perShard * 4,
          }),
        ),
      ),
    );
    return shards
      .flatMap((r) => (r.Items ?? []).slice(0, perShard))
      .map((item) => String(item.deliveryId));
  }

  async claim(
    deliveryId: string,
    lease: DeliveryLease,
    nowMs: number,
  ): Promise<WebhookDelivery | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webhookKeys.delivery(deliveryId),
          UpdateExpression: "SET leaseToken = :token, leaseUntilMs = :until",
          ConditionExpression:
            "attribute_exists(pk) AND (attribute_not_exists(leaseUntilMs) OR leaseUntilMs < :now) AND ((#status = :pending AND nextAttemptAtMs <= :now) OR retryRequestedAtMs <= :now)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":token": lease.token,
            ":until": lease.untilMs,
            ":now": nowMs,
            ":pending": "pending",
          },
          ReturnValues: "ALL_NEW",
        }),
      );
      return Attributes ? toDelivery(Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async release(deliveryId: string, token: string): Promise<void> {
    await this.underLease(deliveryId, token, "REMOVE leaseToken, leaseUntilMs", {}, {});
  }

  async complete(
    claimed: WebhookDelivery,
    token: string,
    update: DeliveryUpdate,
  ): Promise<boolean> {
    const { deliveryId } = claimed;
    const attempts = [...claimed.attempts, update.attempt].slice(-KEPT_ATTEMPTS);
    const next: WebhookDelivery = {
      ...claimed,
      status: update.status,
      scheduledAttempts: update.scheduledAttempts,
      attempts,
    };
    if (update.attempt.manual) delete next.retryRequestedAtMs;
    if (update.nextAttemptAtMs === undefined) delete next.nextAttemptAtMs;
    else next.nextAttemptAtMs = update.nextAttemptAtMs;
    const dueAt = dueAtOf(next);
    const set = [
      "#status = :status",
      "attemptCount = attemptCount + :one",
      "scheduledAttempts = :scheduled",
      "attempts = :attempts",
      "lastAttemptAtMs = :lastAt",
      ...(update.attempt.statusCode === undefined ? [] : ["lastStatusCode = :code"]),
      ...(update.nextAttemptAtMs === undefined ? [] : ["nextAttemptAtMs = :next"]),
      ...(dueAt === undefined ? [] : ["gsi2pk = :shard", "gsi2sk = :due"]),
    ];
    const remove = [
      "leaseToken",
      "leaseUntilMs",
      ...(update.attempt.statusCode === undefined ? ["lastStatusCode"] : []),
      ...(update.nextAttemptAtMs === undefined ? ["nextAttemptAtMs"] : []),
      ...(update.attempt.manual ? ["retryRequestedAtMs"] : []),
      ...(dueAt === undefined ? ["gsi2pk", "gsi2sk"] : []),
    ];
    return this.underLease(
      deliveryId,
      token,
      `SET ${set.join(", ")} REMOVE ${remove.join(", ")}`,
      { "#status": "status" },
      {
        ":status": update.status,
        ":one": 1,
        ":scheduled": update.scheduledAttempts,
        ":attempts": attempts,
        ":lastAt": update.attempt.atMs,
        ...(update.attempt.statusCode === undefined ? {} : { ":code": update.attempt.statusCode }),
        ...(update.nextAttemptAtMs === undefined ? {} : { ":next": update.nextAttemptAtMs }),
        ...(dueAt === undefined
          ? {}
          : {
              ":shard": webhookKeys.dueShard(webhookKeys.shardOf(deliveryId)),
              ":due": webhookKeys.dueOrder(recordInstant(dueAt), deliveryId),
            }),
      },
    );
  }

  async settle(
    deliveryId: string,
    token: string,
    status: "failed" | "undeliverable",
  ): Promise<void> {
    await this.underLease(
      deliveryId,
      token,
      "SET #status = :status REMOVE leaseToken, leaseUntilMs, nextAttemptAtMs, retryRequestedAtMs, gsi2pk, gsi2sk",
      { "#status": "status" },
      { ":status": status },
    );
  }

  async settleIdle(
    deliveryId: string,
    status: "failed" | "undeliverable",
    nowMs: number,
  ): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webhookKeys.delivery(deliveryId),
          UpdateExpression:
            "SET #status = :status REMOVE nextAttemptAtMs, retryRequestedAtMs, gsi2pk, gsi2sk",
          ConditionExpression:
            "#status = :pending AND (attribute_not_exists(leaseUntilMs) OR leaseUntilMs < :now)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":status": status, ":pending": "pending", ":now": nowMs },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async requestRetry(delivery: WebhookDelivery, atMs: number, audit: AuditEntry): Promise<void> {
    const at = recordInstant(atMs);
    const items: ConditionalWrite[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: webhookKeys.delivery(delivery.deliveryId),
          UpdateExpression: "SET retryRequestedAtMs = :at, gsi2pk = :shard, gsi2sk = :due",
          ConditionExpression: "attribute_exists(pk) AND #owner = :owner",
          ExpressionAttributeNames: { "#owner": "owner" },
          ExpressionAttributeValues: {
            ":at": atMs,
            ":owner": delivery.owner,
            ":shard": webhookKeys.dueShard(webhookKeys.shardOf(delivery.deliveryId)),
            ":due": webhookKeys.dueOrder(at, delivery.deliveryId),
          },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...outboxKeys.retry(delivery.deliveryId, at),
            kind: "retry",
            deliveryId: delivery.deliveryId,
            requestedAtMs: atMs,
            expiration: Math.floor(atMs / 1000) + 24 * 3600,
          },
        },
      },
      this.audit.transactItem(audit),
    ];
    await transactWithRetry(this.client, () =>
      this.client.send(new TransactWriteCommand({ TransactItems: items })),
    );
  }

  async pendingOf(owner: string): Promise<string[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :p",
      FilterExpression: "#status = :pending",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":p": webhookKeys.deliveriesOf(owner), ":pending": "pending" },
    });
    return items.map((item) => String(item.deliveryId));
  }

  private async underLease(
    deliveryId: string,
    token: string,
    expression: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webhookKeys.delivery(deliveryId),
          UpdateExpression: expression,
          ConditionExpression: "leaseToken = :leaseToken",
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: { ...values, ":leaseToken": token },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
