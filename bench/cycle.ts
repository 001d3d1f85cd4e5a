import { AsyncLocalStorage } from "node:async_hooks";
import { type HistoryEvent, paginateGetExecutionHistory, SFNClient } from "@aws-sdk/client-sfn";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import pLimit from "p-limit";
import { LookAheadSchema } from "../functions/core/model/look-ahead";
import { submitLookAhead } from "../functions/core/use-cases/submit-look-ahead";
import { submitOrder } from "../functions/core/use-cases/trading";
import { deps } from "../functions/runtime/deps";
import { ApiClient, onboard, type Trader, waitFor } from "../lib/client/api-client";
import {
  type SyntheticScheme,
  syntheticEntriesOf,
  syntheticLookAhead,
  syntheticOrder,
} from "../lib/client/synthetic-scheme";
import type { LambdaHandler } from "../lib/local/lambda-context";
import { startLocalStack } from "../lib/local/local-stack";
import { REPO_ROOT } from "../lib/repo-root";
import { sharedDynamoDbOf } from "./shared-dynamodb";

/** The `cycle` section: one large scheme through the whole workflow on the local stack. */
export interface CycleResult {
  constraints: number;
  entries: number;
  orders: number;
  trades: number;
  /** Time the workflow's tasks took: the execution's duration less its gate-closure wait. */
  wallMs: number;
  /** Time to place the orders through the order use case (not part of wallMs). */
  ordersMs: number;
  /** Orders not placed because gate closure came first (0 unless the machine was too slow). */
  lateOrders: number;
  maxStatePayloadBytes: number;
  /** DynamoDB requests the workflow's tasks made. */
  dynamodbRequests: number;
  /**
   * Σ over task runs of the fewest requests its stored items allow: ⌈items written / 25⌉ (batch
   * writes of 25) + one query per partition queried + ⌈items read by key / 100⌉ (batch reads).
   */
  dynamodbLowerBound: number;
  /** The same two figures per task, so a reader sees where requests go. */
  byTask: Record<string, { requests: number; lowerBound: number; ms: number }>;
}

export interface CycleScale {
  constraints: number;
  entriesPerConstraint: number;
  participants: number;
  orders: number;
}

/** What one task run did to the table, collected by SDK middleware on the handlers' client. */
export interface TaskRun {
  state: string;
  requests: number;
  itemsWritten: number;
  /** Partitions read by Query (one request each at best). */
  partitionsQueried: Set<string>;
  /** Items read by key (GetItem, BatchGetItem: 100 a request at best). */
  keysRead: Set<string>;
}

/** The fields of a DynamoDB request the counter reads (any command; all optional). */
interface RequestInput {
  RequestItems?: Record<string, unknown[] | { Keys?: Record<string, unknown>[] }>;
  TransactItems?: Record<string, unknown>[];
  Key?: Record<string, unknown>;
  KeyConditionExpression?: string;
  ExpressionAttributeValues?: Record<string, unknown>;
  IndexName?: string;
}

const WRITE_ITEMS: Record<string, (input: RequestInput) => number> = {
  PutItemCommand: () => 1,
  UpdateItemCommand: () => 1,
  DeleteItemCommand: () => 1,
  BatchWriteItemCommand: (input) =>
    Object.values(input.RequestItems ?? {}).reduce(
      (n: number, l) => n + (l as unknown[]).length,
      0,
    ),
  TransactWriteItemsCommand: (input) =>
    (input.TransactItems ?? []).filter((t) => !t.ConditionCheck).length,
};

/** The items a read names by key, or the partition a query reads, as stable strings. */
function readsOf(command: string, input: RequestInput): { keys: string[]; partition?: string } {
  switch (command) {
    case "GetItemCommand":
      return { keys: [JSON.stringify(input.Key)] };
    case "BatchGetItemCommand":
      return {
        keys: Object.values(input.RequestItems ?? {}).flatMap((r) =>
          ((r as { Keys?: Record<string, unknown>[] }).Keys ?? []).map((k) => JSON.stringify(k)),
        ),
      };
    case "QueryCommand": {
      // The hash key's value: the first `name = :value` term of the key condition.
      const match = /(#?\w+)\s*=\s*(:\w+)/.exec(input.KeyConditionExpression ?? "");
      const value = match ? input.ExpressionAttributeValues?.[match[2]!] : undefined;
      return { keys: [], partition: `${input.IndexName ?? "table"}|${JSON.stringify(value)}` };
    }
    default:
      return { keys: [] };
  }
}

export function instrument(runs: AsyncLocalStorage<TaskRun>) {
  return (client: DynamoDBDocumentClient) => {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const run = runs.getStore();
        if (run) {
          const command = context.commandName ?? "";
          const input = args.input as RequestInput;
          run.requests += 1;
          run.itemsWritten += WRITE_ITEMS[command]?.(input) ?? 0;
          const reads = readsOf(command, input);
          for (const key of reads.keys) run.keysRead.add(key);
          if (reads.partition) run.partitionsQueried.add(reads.partition);
        }
        return next(args);
      },
      { step: "initialize", name: "benchRequestCounter" },
    );
  };
}

/**
 * Runs `place` (one order) unless gate closure is less than a second away, and tells whether it
 * went in before gate closure. An order refused once gate closure has passed is late, not a
 * failure: on a slow minute of the shared machine the markets open later, and what gate closure
 * cuts off is counted (the sections' `lateOrders`). Any refusal before gate closure is thrown.
 */
export async function beforeGateClosure(
  gateClosureMs: number,
  place: () => Promise<unknown>,
): Promise<boolean> {
  if (Date.now() >= gateClosureMs - 1_000) return false;
  try {
    await place();
    return true;
  } catch (error) {
    if (Date.now() < gateClosureMs) throw error;
    return false;
  }
}

/** Runs `jobs` with at most `width` in flight (p-limit), in order. */
export async function pool(jobs: (() => Promise<void>)[], width: number): Promise<void> {
  const limit = pLimit(width);
  await Promise.all(jobs.map((job) => limit(job)));
}

/**
 * Registers the scheme's participants over HTTP, submits the look-ahead through the same use case
 * as POST /anm/look-aheads (a 20,000-entry look-ahead is larger than api.md's 1 MiB body limit;
 * see docs/decisions.md), places the orders through the order use case while markets are open, and
 * reads the execution history after publication.
 */
export async function benchCycle(
  scale: CycleScale,
  log: (message: string) => void,
): Promise<CycleResult> {
  process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
  const runs = new AsyncLocalStorage<TaskRun>();
  const finished: TaskRun[] = [];
  const wrapTask =
    (state: string, handler: LambdaHandler): LambdaHandler =>
    (event, ctx) => {
      const run: TaskRun = {
        state,
        requests: 0,
        itemsWritten: 0,
        partitionsQueried: new Set(),
        keysRead: new Set(),
      };
      return runs.run(run, () => handler(event, ctx)).finally(() => finished.push(run));
    };
  const stack = await startLocalStack({
    root: REPO_ROOT,
    inMemory: true,
    ...sharedDynamoDbOf("cycle"),
    wrapTask,
    instrumentDynamo: instrument(runs),
  });
  try {
    const api = new ApiClient(stack.url);
    // Three quarters of the forecast is curtailed: entries low in the MOL buy, the rest can sell.
    const scheme: SyntheticScheme = {
      anmSchemeId: `BENCH-${process.pid}`,
      deliveryDate: "2027-07-01",
      constraints: scale.constraints,
      entriesPerConstraint: scale.entriesPerConstraint,
      curtailedMw: Math.floor(scale.entriesPerConstraint * 0.75),
      fromSp: 24,
      toSp: 28,
    };

    log(`cycle: onboarding ${scale.participants} participants`);
    const traders: Trader[] = [];
    await pool(
      Array.from({ length: scale.participants }, (_, p) => async () => {
        traders.push(
          await onboard(api, stack.keys.operator, {
            name: `B${p}`,
            anmSchemeId: scheme.anmSchemeId,
            entryIds: syntheticEntriesOf(scheme, p, scale.participants),
            exportCapacityMw: 500,
          }),
        );
      }),
      8,
    );

    // Gate closure leaves room for opening the markets (2.4 s for the quick run's alone, up to
    // 10 s on a loaded machine) and for the orders at a pace well below the one measured here
    // (500 in 6.2 s for the quick run).
    const gateClosureAt = new Date(
      Date.now() + (scale.orders < 5_000 ? 14_000 + scale.orders * 20 : 20_000 + scale.orders * 10),
    ).toISOString();
    const body = LookAheadSchema.parse(syntheticLookAhead(scheme, gateClosureAt));
    const postedAt = Date.now();
    const { cycle } = await submitLookAhead(deps, body, postedAt);
    const cycleId = cycle.cycleId;
    await waitFor(
      () => deps.cycles.getCycle(cycleId),
      (c) => c?.status === "markets-open" || c?.status === "failed",
      300_000,
      250,
    );
    const opportunities = await deps.markets.listOpportunitiesOfCycle(cycleId);
    log(`cycle: markets open after ${Date.now() - postedAt} ms; placing ${scale.orders} orders`);

    const ordersStarted = Date.now();
    const gateClosureMs = Date.parse(gateClosureAt);
    let lateOrders = 0;
    await pool(
      Array.from({ length: scale.orders }, (_, k) => async () => {
        const o = opportunities[k % opportunities.length]!;
        const placed = await beforeGateClosure(gateClosureMs, () =>
          submitOrder(deps, o.participantId, syntheticOrder(o, k, 0.3), {
            orderId: `ord-bench-${k}`,
            receivedAtMs: Date.now(),
          }),
        );
        if (!placed) lateOrders += 1;
      }),
      16,
    );
    const ordersMs = Date.now() - ordersStarted;
    log(
      `cycle: orders placed in ${ordersMs} ms (${lateOrders} after gate closure); waiting for gate closure and publication`,
    );

    const done = await waitFor(
      () => deps.cycles.getCycle(cycleId),
      (c) => c?.status === "published" || c?.status === "failed",
      Date.parse(gateClosureAt) - Date.now() + 900_000,
      500,
    );
    if (done?.status !== "published")
      throw new Error(`the bench cycle ended ${done?.status} at ${done?.failure?.step ?? "?"}`);
    const trades = await deps.trades.listTradesOfCycle(cycleId);

    // The cycle reads `published` inside the last task; the execution ends just after it.
    const events = await waitFor(
      () => history(stack.sfnEndpoint, done.executionArn!),
      (list) => list.some((e) => e.type === "ExecutionSucceeded" || e.type === "ExecutionFailed"),
      60_000,
      250,
    );
    const payloads = events.flatMap((e) =>
      [e.stateEnteredEventDetails?.input, e.stateExitedEventDetails?.output].filter(
        (p): p is string => p !== undefined,
      ),
    );
    const at = (type: string) => events.find((e) => e.type === type)?.timestamp?.getTime() ?? 0;
    const wallMs =
      at("ExecutionSucceeded") -
      at("ExecutionStarted") -
      (at("WaitStateExited") - at("WaitStateEntered"));

    // Each task state's time in the execution (entered → exited), retries included.
    const taskMs = new Map<string, number>();
    const enteredAt = new Map<string, number>();
    for (const e of events) {
      const name = e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
      const time = e.timestamp?.getTime();
      if (!name || time === undefined) continue;
      if (e.type === "TaskStateEntered") enteredAt.set(name, time);
      if (e.type === "TaskStateExited")
        taskMs.set(name, (taskMs.get(name) ?? 0) + time - (enteredAt.get(name) ?? time));
    }
    const byTask: CycleResult["byTask"] = {};
    let dynamodbRequests = 0;
    let dynamodbLowerBound = 0;
    for (const run of finished) {
      const lowerBound =
        Math.ceil(run.itemsWritten / 25) +
        run.partitionsQueried.size +
        Math.ceil(run.keysRead.size / 100);
      const row = byTask[run.state] ?? {
        requests: 0,
        lowerBound: 0,
        ms: taskMs.get(run.state) ?? 0,
      };
      byTask[run.state] = row;
      row.requests += run.requests;
      row.lowerBound += lowerBound;
      dynamodbRequests += run.requests;
      dynamodbLowerBound += lowerBound;
    }
    return {
      constraints: scale.constraints,
      entries: scale.constraints * scale.entriesPerConstraint,
      orders: scale.orders,
      trades: trades.length,
      wallMs,
      ordersMs,
      lateOrders,
      maxStatePayloadBytes: Math.max(...payloads.map((p) => Buffer.byteLength(p, "utf8"))),
      dynamodbRequests,
      dynamodbLowerBound,
      byTask,
    };
  } finally {
    await stack.stop();
  }
}

export async function history(endpoint: string, executionArn: string): Promise<HistoryEvent[]> {
  const sfn = new SFNClient({
    region: "eu-west-2",
    endpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const events: HistoryEvent[] = [];
    for await (const page of paginateGetExecutionHistory(
      { client: sfn, pageSize: 1000 },
      { executionArn },
    ))
      events.push(...(page.events ?? []));
    return events;
  } finally {
    sfn.destroy();
  }
}
