import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { PlatformEvent } from "../core/events/platform-event";
import type {
  CycleChanges,
  CycleStatus,
  PublishedMeritOrder,
  PublishedVersionRef,
  StoredOrder,
} from "../core/ports";
import { type ChangeEvent, type StateWrite, writeChange } from "./change-writer";
import type { ConditionalWrite } from "./conditional-writes";
import { marketKeys } from "./keys";
import type { MeritOrderRepository } from "./merit-order-repository";
import { putAll } from "./table-io";

/**
 * The day-ahead steps' changes that report events (R-NOTIFY-3), one `writeChange` per step: the
 * place where each step's transaction items are put together — its state writes, its events,
 * and the write that marks it applied — so that other items of the same transaction (a fence on
 * the cycle, audit records) are added here once for the step.
 */
export class CycleChangeWriter implements CycleChanges {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly meritOrders: MeritOrderRepository,
  ) {}

  async cancelSuperseded(input: {
    cycleId: string;
    superseded: string;
    orders: ReadonlyArray<StoredOrder>;
    marketIds: ReadonlyArray<string>;
    events: ReadonlyArray<PlatformEvent>;
    atMs: number;
  }): Promise<void> {
    // An order still open is cancelled with its order.cancelled event; one withdrawn or matched
    // meanwhile keeps its state, and its event is not written (the group is refused together).
    const orders: StateWrite[] = input.orders.map((o) => ({
      group: o.orderId,
      write: {
        Update: {
          TableName: this.tableName,
          Key: marketKeys.order(o.orderId),
          UpdateExpression: "SET #status = :cancelled, updatedAtMs = :at",
          ConditionExpression: "#status = :open AND cycleId = :cycle",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":cancelled": "cancelled",
            ":open": "open",
            ":at": input.atMs,
            ":cycle": input.superseded,
          },
        },
      },
    }));
    await writeChange(this.client, this.tableName, {
      changeId: `cycle:${input.cycleId}:supersede`,
      writes: orders,
      events: input.events.map((event) => ({
        event,
        group: String((event.data as { orderId?: unknown }).orderId),
      })),
      applied: input.marketIds.map((marketId) => ({
        write: this.marketStatus(input.superseded, marketId, "cancelled", [
          "pending",
          "open",
          "closed",
        ]),
      })),
    });
  }

  async openMarkets(input: {
    cycleId: string;
    marketIds: ReadonlyArray<string>;
    events: ReadonlyArray<PlatformEvent>;
  }): Promise<void> {
    await writeChange(this.client, this.tableName, {
      changeId: `cycle:${input.cycleId}:open-markets`,
      writes: input.marketIds.map((marketId) => ({
        group: marketId,
        write: this.marketStatus(input.cycleId, marketId, "open", ["pending", "open"]),
      })),
      events: input.events.map(
        (event): ChangeEvent => ({
          event,
          group: String((event.data as { marketId?: unknown }).marketId),
        }),
      ),
      applied: [
        {
          write: this.cycleStatus(input.cycleId, "markets-open", ["running", "markets-open"]),
        },
      ],
    });
  }

  async publish(input: {
    cycleId: string;
    mols: Omit<PublishedMeritOrder, "version">[];
    eventsFor: (versions: ReadonlyArray<PublishedVersionRef>) => PlatformEvent[];
    status?: { to: CycleStatus; from: CycleStatus[] };
  }): Promise<number[]> {
    const { versions, todo } = await this.meritOrders.prepare(input.mols);
    // Pages first: they are invisible until a version's pointer points at them.
    await putAll(
      this.client,
      this.tableName,
      todo.flatMap((t) => t.pages),
    );
    const refs: PublishedVersionRef[] = [];
    for (const [index, mol] of input.mols.entries()) {
      const version = versions[index]!;
      const previous =
        version > 1
          ? await this.meritOrders.version(
              mol.anmSchemeId,
              mol.deliveryDate,
              mol.constraintId,
              version - 1,
            )
          : undefined;
      refs.push({ constraintId: mol.constraintId, version, ...(previous ? { previous } : {}) });
    }
    const fallback = input.mols.some((m) => m.fallback);
    await writeChange(this.client, this.tableName, {
      changeId: `cycle:${input.cycleId}:${fallback ? "publish-original" : "publish"}`,
      // A pointer moved by another publication meanwhile fails the change: the step's retry
      // reads the pointers again and derives the events of the versions it then gets.
      writes: todo.flatMap((t) =>
        t.pairs.map((write) => ({ write, group: `mol:${t.index}`, onRefused: "fail" as const })),
      ),
      events: input.eventsFor(refs).map((event) => ({ event })),
      applied: input.status
        ? [{ write: this.cycleStatus(input.cycleId, input.status.to, input.status.from) }]
        : [],
    });
    return versions;
  }

  private marketStatus(
    cycleId: string,
    marketId: string,
    to: string,
    from: string[],
  ): ConditionalWrite {
    return {
      Update: {
        TableName: this.tableName,
        Key: marketKeys.market(marketId),
        UpdateExpression: "SET #status = :to",
        ConditionExpression: `cycleId = :cycle AND #status IN (${from.map((_, i) => `:f${i}`).join(", ")})`,
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":to": to,
          ":cycle": cycleId,
          ...Object.fromEntries(from.map((f, i) => [`:f${i}`, f])),
        },
      },
    };
  }

  private cycleStatus(cycleId: string, to: CycleStatus, from: CycleStatus[]): ConditionalWrite {
    return {
      Update: {
        TableName: this.tableName,
        Key: marketKeys.cycle(cycleId),
        UpdateExpression: "SET #status = :to",
        ConditionExpression: `attribute_exists(pk) AND #status IN (${from.map((_, i) => `:s${i}`).join(", ")})`,
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":to": to,
          ...Object.fromEntries(from.map((f, i) => [`:s${i}`, f])),
        },
      },
    };
  }
}
