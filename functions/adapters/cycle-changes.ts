import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AuditEntry } from "../core/access/audit";
import { CycleSupersededError } from "../core/errors";
import type { PlatformEvent } from "../core/events/platform-event";
import type {
  CycleChanges,
  CycleFence,
  CycleStatus,
  PublishedMeritOrder,
  PublishedVersionRef,
  StoredOrder,
} from "../core/ports";
import type { AuditLog } from "./audit-log";
import {
  type Change,
  ChangeCheckRefusedError,
  type ChangeEvent,
  type StateWrite,
  writeChange,
} from "./change-writer";
import type { ConditionalWrite } from "./conditional-writes";
import { fenceCheck } from "./cycle-fence";
import { marketKeys } from "./keys";
import type { MeritOrderRepository } from "./merit-order-repository";
import { putAll } from "./table-io";

/**
 * The day-ahead steps' changes that report events (R-NOTIFY-3), one `writeChange` per step: the
 * place where each step's transaction items are put together — its state writes, its events,
 * and the write that marks it applied — with the other items of the same transactions: the fence
 * on the cycle being its scheme-day's current one (D-131) in every transaction, and each write's
 * audit record next to it (D-139).
 */
export class CycleChangeWriter implements CycleChanges {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly meritOrders: MeritOrderRepository,
    private readonly audit: AuditLog,
  ) {}

  /** Writes a change fenced on its cycle: a failed fence is {@link CycleSupersededError}. */
  private async fenced(fence: CycleFence, change: Omit<Change, "checks">): Promise<void> {
    try {
      await writeChange(this.client, this.tableName, {
        ...change,
        checks: [fenceCheck(this.tableName, fence)],
      });
    } catch (error) {
      if (error instanceof ChangeCheckRefusedError) throw new CycleSupersededError(fence.cycleId);
      throw error;
    }
  }

  async cancelSuperseded(input: {
    fence: CycleFence;
    cycleId: string;
    superseded: string;
    auditOf: (order: StoredOrder) => AuditEntry;
    orders: ReadonlyArray<StoredOrder>;
    marketIds: ReadonlyArray<string>;
    events: ReadonlyArray<PlatformEvent>;
    atMs: number;
  }): Promise<void> {
    // An order still open is cancelled with its order.cancelled event; one withdrawn or matched
    // meanwhile keeps its state, and its event is not written (the group is refused together).
    const orders: StateWrite[] = input.orders.map((o) => ({
      group: o.orderId,
      companions: [this.audit.transactItem(input.auditOf(o))],
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
    await this.fenced(input.fence, {
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
    fence: CycleFence;
    cycleId: string;
    marketIds: ReadonlyArray<string>;
    events: ReadonlyArray<PlatformEvent>;
    audit: AuditEntry;
  }): Promise<void> {
    await this.fenced(input.fence, {
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
      // Once: a re-run finds the cycle markets-open and writes neither it nor its record.
      applied: [
        {
          write: this.cycleStatus(input.cycleId, "markets-open", ["running"]),
          companions: [this.audit.transactItem(input.audit)],
        },
      ],
    });
  }

  async publish(input: {
    fence: CycleFence;
    cycleId: string;
    mols: Omit<PublishedMeritOrder, "version">[];
    eventsFor: (versions: ReadonlyArray<PublishedVersionRef>) => PlatformEvent[];
    audit: AuditEntry;
    status?: { to: CycleStatus; from: CycleStatus[]; audit: AuditEntry };
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
    await this.fenced(input.fence, {
      changeId: `cycle:${input.cycleId}:${fallback ? "publish-original" : "publish"}`,
      // A pointer moved by another publication meanwhile fails the change: the step's retry
      // reads the pointers again and derives the events of the versions it then gets. The
      // publication's audit record goes with the first version written, so a re-run that finds
      // everything published writes none.
      writes: todo.flatMap((t, i) =>
        t.pairs.map((write, k) => ({
          write,
          group: `mol:${t.index}`,
          onRefused: "fail" as const,
          ...(i === 0 && k === 0 ? { companions: [this.audit.transactItem(input.audit)] } : {}),
        })),
      ),
      events: input.eventsFor(refs).map((event) => ({ event })),
      applied: input.status
        ? [
            {
              write: this.cycleStatus(input.cycleId, input.status.to, input.status.from),
              companions: [this.audit.transactItem(input.status.audit)],
            },
          ]
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
