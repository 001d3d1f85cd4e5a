import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { PlatformEvent } from "../core/events/platform-event";
import { type OutboxEvent, outboxEventOf } from "../core/webhooks/model";
import type { ConditionalWrite } from "./conditional-writes";
import { cancellationCodes } from "./dynamo-errors";
import { outboxKeys } from "./keys";
import { RETRY_POLICY, sendUntilDone } from "./retry";

/** DynamoDB's limit of items per TransactWriteItems request. */
export const TRANSACTION_ITEMS = 100;

/** Outbox items live 30 days (R-NOTIFY-8's retention), then the table's TTL removes them. */
const OUTBOX_TTL_S = 30 * 24 * 3600;

/**
 * One write of a state change: refused when its condition fails. `skip` (the default) drops a
 * refused write — "already done, or no longer ours", as the day-ahead steps always treated it —
 * and with it the events of its `group`; `fail` makes the whole change fail with
 * {@link ChangeRefusedError} (the step's retry then reads the state again).
 */
export interface StateWrite {
  readonly write: ConditionalWrite;
  readonly group?: string;
  readonly onRefused?: "skip" | "fail";
  /**
   * Writes that stand or fall with this one (its audit record, D-139): in the same transaction,
   * dropped with it when it is refused.
   */
  readonly companions?: ReadonlyArray<ConditionalWrite>;
}

/** An event of a change, tied to the group whose state write it reports (if any). */
export interface ChangeEvent {
  readonly event: PlatformEvent;
  readonly group?: string;
}

/**
 * A state change and its events (R-NOTIFY-3, R-VERIFY-6 §19), identified by a deterministic
 * `changeId` (a re-run of the same step names the same change and writes the same items).
 */
export interface Change {
  readonly changeId: string;
  /** Checks every transaction of the change carries (e.g. a fence on the cycle being current). */
  readonly checks?: ReadonlyArray<ConditionalWrite>;
  readonly writes: ReadonlyArray<StateWrite>;
  readonly events: ReadonlyArray<ChangeEvent>;
  /** The writes that mark the change applied; they go last, with the release of its events. */
  readonly applied?: ReadonlyArray<StateWrite>;
  /**
   * The events are written gated and the change's release is left to a later transaction of
   * the caller's ({@link releasePut}), e.g. a settlement run's completion (R-SETTLE-7): its
   * statements' events become deliverable when the run completes, never when it fails.
   */
  readonly deferRelease?: boolean;
}

/** A write of the change was refused and the change cannot stand without it. */
export class ChangeRefusedError extends Error {
  override readonly name: string = "ChangeRefusedError";
}

/** One of the change's `checks` failed (e.g. its cycle is no longer current): nothing more is written. */
export class ChangeCheckRefusedError extends ChangeRefusedError {
  override readonly name = "ChangeCheckRefusedError";
}

/**
 * The one helper every state change with events goes through (R-NOTIFY-3): its writes and its
 * events in ONE transaction when they fit in one (≤ 100 items), the events then visible at once.
 * When they do not (R-VERIFY-6 §19), in deterministic batches of whole groups — each event
 * written `gated` (invisible to the dispatcher) — and then a last transaction with the `applied`
 * writes and the change's release record, which makes its events deliverable: no event is
 * delivered before its change is applied, and a re-run rewrites the same items (events are
 * conditional on their id, so an event is never written twice) and completes.
 *
 * Within a transaction a refused write is handled as {@link StateWrite} says and the rest is
 * sent again; an event already stored (a re-run) is dropped on its own; contention and
 * throttling are retried under the one retry policy (`retry.ts`).
 */
export async function writeChange(
  client: DynamoDBDocumentClient,
  tableName: string,
  change: Change,
): Promise<void> {
  const checks = change.checks ?? [];
  const applied = change.applied ?? [];
  const release: Item[] = change.deferRelease
    ? []
    : [{ kind: "release", write: releasePut(tableName, change.changeId) }];
  let companionGroups = 0;
  const stateItems = (writes: ReadonlyArray<StateWrite>): Item[] =>
    writes.flatMap((w): Item[] => {
      const companions = w.companions ?? [];
      // Companions need a group to fall with their write; one without gets its own.
      const group =
        w.group ?? (companions.length > 0 ? `\u0000companion:${companionGroups++}` : undefined);
      return [
        {
          kind: "state",
          write: w.write,
          ...(group === undefined ? {} : { group }),
          onRefused: w.onRefused ?? "skip",
        },
        ...companions.map(
          (write): Item => ({
            kind: "companion",
            write,
            ...(group === undefined ? {} : { group }),
          }),
        ),
      ];
    });
  const eventItems = (gated: boolean): Item[] =>
    change.events.map((e) => ({
      kind: "event",
      write: eventPut(tableName, change.changeId, outboxEventOf(e.event), gated),
      ...(e.group === undefined ? {} : { group: e.group }),
    }));
  const room = TRANSACTION_ITEMS - checks.length;
  const writeItems = stateItems(change.writes);
  const appliedItems = stateItems(applied);
  const total = writeItems.length + change.events.length + appliedItems.length + release.length;
  if (total <= room) {
    const events = eventItems(change.deferRelease === true);
    await send(client, checks, [...writeItems, ...events, ...appliedItems, ...release]);
    return;
  }
  // Batches: each group's writes and events together where they fit, in the order given.
  const body = [...writeItems, ...eventItems(true)];
  const ordered = groupsInOrder(body);
  const refusedGroups = new Set<string>();
  for (const batch of batches(ordered, room)) {
    const live = batch.filter((item) => item.group === undefined || !refusedGroups.has(item.group));
    for (const group of await send(client, checks, live)) refusedGroups.add(group);
  }
  await send(client, checks, [...appliedItems, ...release]);
}

/**
 * The release record of a change (conditional: written once), which makes its gated events
 * deliverable: written by {@link writeChange}, or by the caller of a `deferRelease` change.
 */
export function releasePut(tableName: string, changeId: string): ConditionalWrite {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...outboxKeys.release(changeId),
        kind: "release",
        changeId,
        expiration: ttl(),
      },
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
}

/** The conditional Put of an outbox event (R-NOTIFY-3: `attribute_not_exists`). */
export function eventPut(
  tableName: string,
  changeId: string,
  event: OutboxEvent,
  gated: boolean,
): ConditionalWrite {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...outboxKeys.event(changeId, event.eventId),
        kind: "event",
        changeId,
        gated,
        event,
        expiration: ttl(),
      },
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
}

function ttl(): number {
  // The one instant here that is not the platform's clock: an expiry for the table's TTL.
  return Math.floor(Date.now() / 1000) + OUTBOX_TTL_S;
}

interface Item {
  readonly kind: "state" | "companion" | "event" | "release";
  readonly write: ConditionalWrite;
  readonly group?: string;
  readonly onRefused?: "skip" | "fail";
}

/** Items with the same group next to each other, groups in the order they first appear. */
function groupsInOrder(items: Item[]): Item[] {
  const groups = new Map<string, Item[]>();
  const order: (Item | Item[])[] = [];
  for (const item of items) {
    if (item.group === undefined) {
      order.push(item);
      continue;
    }
    let list = groups.get(item.group);
    if (!list) {
      list = [];
      groups.set(item.group, list);
      order.push(list);
    }
    list.push(item);
  }
  return order.flat();
}

/** Consecutive batches of at most `room` items, a group kept whole unless it alone is larger. */
function batches(items: Item[], room: number): Item[][] {
  const out: Item[][] = [];
  let current: Item[] = [];
  let i = 0;
  while (i < items.length) {
    const group = items[i]!.group;
    let j = i + 1;
    if (group !== undefined) while (j < items.length && items[j]!.group === group) j += 1;
    const run = items.slice(i, j);
    if (current.length + run.length > room && current.length > 0) {
      out.push(current);
      current = [];
    }
    for (const item of run) {
      if (current.length === room) {
        out.push(current);
        current = [];
      }
      current.push(item);
    }
    i = j;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * One transaction of `checks` and `items`, sent again without what was refused: a refused state
 * write takes its group's events with it (or fails the change); a refused event or release is
 * already stored. A refused check fails the change. Returns the groups whose state was refused.
 */
async function send(
  client: DynamoDBDocumentClient,
  checks: ReadonlyArray<ConditionalWrite>,
  items: Item[],
): Promise<Set<string>> {
  const refusedGroups = new Set<string>();
  let last: unknown;
  if (items.length === 0) return refusedGroups;
  await sendUntilDone(
    items,
    async (pending) => {
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [...checks, ...pending.map((item) => item.write)],
          }),
        );
        return { rest: undefined, backOff: false };
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes || codes.length !== checks.length + pending.length) throw error;
        const other = codes.filter((c) => c !== "None" && c !== "ConditionalCheckFailed");
        if (other.some((c) => c !== "TransactionConflict" && c !== "ThrottlingError")) throw error;
        if (codes.slice(0, checks.length).includes("ConditionalCheckFailed"))
          throw new ChangeCheckRefusedError("a check of the change failed");
        last = error;
        const refused = new Set<Item>();
        pending.forEach((item, k) => {
          if (codes[checks.length + k] !== "ConditionalCheckFailed") return;
          refused.add(item);
          if (item.kind !== "state") return;
          if (item.onRefused === "fail")
            throw new ChangeRefusedError("a state write of the change was refused");
          if (item.group !== undefined) refusedGroups.add(item.group);
        });
        const rest = pending.filter(
          (item) =>
            !refused.has(item) &&
            !(
              (item.kind === "event" || item.kind === "companion") &&
              item.group !== undefined &&
              refusedGroups.has(item.group)
            ),
        );
        return { rest: rest.length > 0 ? rest : undefined, backOff: other.length > 0 };
      }
    },
    { maxAttempts: RETRY_POLICY.conditionalWriteAttempts, exhausted: () => last as Error },
  );
  return refusedGroups;
}
