import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditEntry } from "../core/access/audit";
import type { Page, PageRequest } from "../core/model/paging";
import type { OrderEligibility, OrderStore, OrderWriteRefusal, StoredOrder } from "../core/ports";
import type { AuditLog } from "./audit-log";
import { getAll } from "./batch-get";
import type { ConditionalWrite } from "./conditional-writes";
import { failedConditions, transactWithRetry } from "./dynamo-errors";
import { accessKeys, CYCLE_PARTS, marketKeys } from "./keys";
import { queryPage } from "./page-token";
import { putAll, queryAll, withoutKeys } from "./table-io";

/** Transaction parts in the order the write sends them, to read a cancellation's reasons. */
type Part = "order" | "capacity" | "market" | "current" | "claim" | "participant" | "audit";

/** Orders a cancellation transaction holds: three items each (order, open quantity, audit). */
const ORDERS_PER_CANCELLATION = 33; // 3 items each

/** An order's item: its keys, its two indexes (market orders, participant orders) and the record. */
function orderItem(order: StoredOrder): Record<string, unknown> {
  return {
    ...marketKeys.order(order.orderId),
    gsi1pk: marketKeys.ordersOfMarket(order.marketId, order.cycleId),
    gsi1sk: order.orderId,
    gsi2pk: marketKeys.ordersOfParticipant(order.participantId),
    gsi2sk: `${order.marketId}#${order.orderId}`,
    ...order,
  };
}

/** Items of one order's cancellation in a transaction: see {@link cancellationWrites}. */
export const CANCELLATION_ITEMS = 3;

/**
 * D-136: one open order's cancellation as transaction items — the order, conditional on being
 * exactly as read; its entry's open quantity lowered by its quantity; its audit record. Used by
 * {@link OrderRepository.cancelOrders} and by the operator's decisions, which put them in their
 * own transaction when they fit.
 */
export function cancellationWrites(
  tableName: string,
  audit: AuditLog,
  order: StoredOrder,
  cancelledAtMs: number,
  entry: AuditEntry,
): ConditionalWrite[] {
  return [
    {
      Put: {
        TableName: tableName,
        Item: orderItem({ ...order, status: "cancelled", updatedAtMs: cancelledAtMs }),
        ConditionExpression: "#status = :open AND updatedAtMs = :u",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":open": "open", ":u": order.updatedAtMs },
      },
    },
    {
      Update: {
        TableName: tableName,
        Key: marketKeys.openQuantity(order.cycleId, order.marketId, order.side, order.entryId),
        UpdateExpression: "SET openKw = if_not_exists(openKw, :zero) - :q",
        ExpressionAttributeValues: { ":zero": 0, ":q": order.quantityKw },
      },
    },
    audit.transactItem(entry),
  ];
}

/** Orders, with the entry's open quantity held by conditional transactions (R-ORDER-2). */
export class OrderRepository implements OrderStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
  ) {}

  private item(order: StoredOrder): Record<string, unknown> {
    return orderItem(order);
  }

  /** The market must be open in this cycle (and, for new orders, the cycle current). */
  private marketCheck(order: StoredOrder) {
    return {
      ConditionCheck: {
        TableName: this.tableName,
        Key: marketKeys.market(order.marketId),
        ConditionExpression: "cycleId = :cycle AND #status = :open",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":cycle": order.cycleId, ":open": "open" },
      },
    };
  }

  /** Raises (or lowers) the open quantity by `deltaKw`; raising stays within `maxKw`. */
  private capacityUpdate(order: StoredOrder, deltaKw: number, maxKw: number) {
    const raising = deltaKw > 0;
    return {
      Update: {
        TableName: this.tableName,
        Key: marketKeys.openQuantity(order.cycleId, order.marketId, order.side, order.entryId),
        UpdateExpression:
          "SET openKw = if_not_exists(openKw, :zero) + :delta, maxKw = :max, marketId = :market, side = :side, entryId = :entry",
        ...(raising
          ? { ConditionExpression: "attribute_not_exists(openKw) OR openKw <= :limit" }
          : {}),
        ExpressionAttributeValues: {
          ":zero": 0,
          ":delta": deltaKw,
          ":max": maxKw,
          ":market": order.marketId,
          ":side": order.side,
          ":entry": order.entryId,
          ...(raising ? { ":limit": maxKw - deltaKw } : {}),
        },
      },
    };
  }

  /**
   * Sends the order transaction. Cancellations for contention (`TransactionConflict`: another
   * request was changing the same order or capacity item) or throttling are retried with the
   * SDK's retry strategy and then surface as `TemporarilyUnavailableError` (HTTP 503 with
   * Retry-After, docs/decisions.md D-32); a failed condition is a refusal, named by its part.
   */
  private async transact(items: object[], parts: Part[]): Promise<Part[] | undefined> {
    try {
      await transactWithRetry(this.client, () =>
        this.client.send(new TransactWriteCommand({ TransactItems: items as never })),
      );
      return undefined;
    } catch (error) {
      const failed = failedConditions(error);
      if (!failed) throw error;
      return failed.map((i) => parts[i]!);
    }
  }

  /** The refusal a failed condition means: the market closed, the capacity is full, or the order moved on. */
  private static refusal(failed: Part[]): OrderWriteRefusal {
    if (failed.includes("market") || failed.includes("current")) return "GATE_CLOSED";
    if (failed.includes("claim") || failed.includes("participant")) return "NOT_ELIGIBLE";
    if (failed.includes("capacity")) return "QUANTITY_EXCEEDS_CAPACITY";
    return "ORDER_NOT_OPEN";
  }

  /** D-136: the entry is still claimed by the order's asset, and the participant approved. */
  private eligibilityChecks(order: StoredOrder, eligibility: OrderEligibility): object[] {
    return [
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: accessKeys.entryClaim(eligibility.anmSchemeId, order.entryId),
          ConditionExpression: "assetId = :asset",
          ExpressionAttributeValues: { ":asset": eligibility.assetId },
        },
      },
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: accessKeys.participant(order.participantId),
          ConditionExpression: "#status = :approved",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":approved": "approved" },
        },
      },
    ];
  }

  /** The scheme's day still has the order's cycle as its current one (R-IN-3). */
  private currentCheck(order: StoredOrder, scheme: { anmSchemeId: string; deliveryDate: string }) {
    return {
      ConditionCheck: {
        TableName: this.tableName,
        Key: marketKeys.schemeDay(scheme.anmSchemeId, scheme.deliveryDate),
        ConditionExpression: "cycleId = :cycle",
        ExpressionAttributeValues: { ":cycle": order.cycleId },
      },
    };
  }

  async placeOrder(
    order: StoredOrder,
    maxKw: number,
    eligibility: OrderEligibility,
    audit: AuditEntry,
  ) {
    const failed = await this.transact(
      [
        {
          Put: {
            TableName: this.tableName,
            Item: this.item(order),
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
        this.capacityUpdate(order, order.quantityKw, maxKw),
        this.marketCheck(order),
        this.currentCheck(order, eligibility),
        ...this.eligibilityChecks(order, eligibility),
        this.audit.transactItem(audit),
      ],
      ["order", "capacity", "market", "current", "claim", "participant", "audit"],
    );
    if (!failed) return undefined;
    if (failed.includes("order")) {
      // The order id is new to this request, so the item can only be this very order, placed by
      // an earlier attempt of the same write: it is placed.
      const stored = await this.getOrder(order.orderId);
      if (
        stored?.participantId === order.participantId &&
        stored.submittedAtMs === order.submittedAtMs
      )
        return undefined;
      throw new Error(`order id ${order.orderId} is already taken by another order`);
    }
    return OrderRepository.refusal(failed);
  }

  async replaceOrder(
    before: StoredOrder,
    after: StoredOrder,
    maxKw: number,
    eligibility: OrderEligibility | undefined,
    scheme: { anmSchemeId: string; deliveryDate: string },
    audit: AuditEntry,
  ) {
    const openBefore = before.status === "open" ? before.quantityKw : 0;
    const openAfter = after.status === "open" ? after.quantityKw : 0;
    const delta = openAfter - openBefore;
    const items: object[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: this.item(after),
          // Optimistic concurrency: the order is exactly as read.
          ConditionExpression: "#status = :open AND quantityKw = :q AND updatedAtMs = :u",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":open": "open",
            ":q": before.quantityKw,
            ":u": before.updatedAtMs,
          },
        },
      },
    ];
    const parts: Part[] = ["order"];
    if (delta !== 0) {
      items.push(this.capacityUpdate(after, delta, maxKw));
      parts.push("capacity");
    }
    items.push(this.marketCheck(after), this.currentCheck(after, scheme));
    parts.push("market", "current");
    if (eligibility) {
      items.push(...this.eligibilityChecks(after, eligibility));
      parts.push("claim", "participant");
    }
    items.push(this.audit.transactItem(audit));
    parts.push("audit");
    const failed = await this.transact(items, parts);
    return failed ? OrderRepository.refusal(failed) : undefined;
  }

  async getOrder(orderId: string): Promise<StoredOrder | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: marketKeys.order(orderId),
        ConsistentRead: true,
      }),
    );
    return Item ? withoutKeys<StoredOrder>(Item) : undefined;
  }

  async getOrders(orderIds: ReadonlyArray<string>): Promise<StoredOrder[]> {
    const items = await getAll(
      this.client,
      this.tableName,
      [...new Set(orderIds)].map((id) => ({ ...marketKeys.order(id) })),
    );
    return items.map((i) => withoutKeys<StoredOrder>(i));
  }

  async listOrdersOfParticipant(
    participantId: string,
    marketId: string | undefined,
    page: PageRequest,
  ): Promise<Page<StoredOrder>> {
    return queryPage(
      this.client,
      this.tableName,
      { index: "gsi2", attribute: "gsi2pk", value: marketKeys.ordersOfParticipant(participantId) },
      page,
      (item) => withoutKeys<StoredOrder>(item),
      undefined,
      marketId === undefined ? undefined : { attribute: "gsi2sk", value: `${marketId}#` },
    );
  }

  async openOrdersOfParticipant(participantId: string): Promise<StoredOrder[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: "gsi2",
      KeyConditionExpression: "gsi2pk = :pk",
      FilterExpression: "#status = :open",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":pk": marketKeys.ordersOfParticipant(participantId),
        ":open": "open",
      },
    });
    return items.map((i) => withoutKeys<StoredOrder>(i));
  }

  async listOrdersOfMarket(
    marketId: string,
    cycleId: string,
    page: PageRequest,
  ): Promise<Page<StoredOrder>> {
    return queryPage(
      this.client,
      this.tableName,
      { index: "gsi1", attribute: "gsi1pk", value: marketKeys.ordersOfMarket(marketId, cycleId) },
      page,
      (item) => withoutKeys<StoredOrder>(item),
    );
  }

  async ordersOfMarket(marketId: string, cycleId: string): Promise<StoredOrder[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": marketKeys.ordersOfMarket(marketId, cycleId) },
    });
    return items.map((i) => withoutKeys<StoredOrder>(i));
  }

  async cancelOrders(
    orders: readonly StoredOrder[],
    cancelledAtMs: number,
    audit: (order: StoredOrder) => AuditEntry,
  ): Promise<string[]> {
    const cancelled: string[] = [];
    const sorted = [...orders]
      .filter((o) => o.status === "open")
      .sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
    for (let i = 0; i < sorted.length; i += ORDERS_PER_CANCELLATION) {
      let pending = sorted.slice(i, i + ORDERS_PER_CANCELLATION);
      while (pending.length > 0) {
        const items = pending.flatMap((order) =>
          cancellationWrites(this.tableName, this.audit, order, cancelledAtMs, audit(order)),
        );
        try {
          await transactWithRetry(this.client, () =>
            this.client.send(new TransactWriteCommand({ TransactItems: items as never })),
          );
          cancelled.push(...pending.map((o) => o.orderId));
          pending = [];
        } catch (error) {
          const failed = failedConditions(error);
          if (!failed) throw error;
          // An order that moved on meanwhile (withdrawn, amended, matched) is left as it is.
          const moved = new Set(failed.map((index) => Math.floor(index / 3)));
          pending = pending.filter((_, k) => !moved.has(k));
        }
      }
    }
    return cancelled;
  }

  async openQuantities(cycleId: string): Promise<Map<string, number>> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :cap)",
      ExpressionAttributeValues: {
        ":pk": marketKeys.cyclePk(cycleId),
        ":cap": CYCLE_PARTS.openQuantity,
      },
      ConsistentRead: true,
    });
    return new Map(
      items
        .filter((i) => Number(i.openKw) !== 0)
        .map((i) => [`${i.marketId}|${i.side}|${i.entryId}`, Number(i.openKw)]),
    );
  }

  async settleOrders(orders: StoredOrder[]): Promise<void> {
    await putAll(
      this.client,
      this.tableName,
      orders.map((o) => this.item(o)),
    );
  }
}
