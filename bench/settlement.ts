import { AsyncLocalStorage } from "node:async_hooks";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { systemClock } from "../functions/adapters/clock";
import { addDays } from "../functions/core/model/calendar";
import { LookAheadSchema } from "../functions/core/model/look-ahead";
import { readMeterCsv } from "../functions/core/performance/meter-readings";
import { submitLookAhead } from "../functions/core/use-cases/submit-look-ahead";
import { submitOrder } from "../functions/core/use-cases/trading";
import { clockSource, deps } from "../functions/runtime/deps";
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
import { beforeGateClosure, history, instrument, pool, type TaskRun } from "./cycle";
import { sharedDynamoDbOf } from "./shared-dynamodb";

/**
 * The `settlement` section (issue 17, Done-when 3): a month for one synthetic scheme of
 * `constraints × entriesPerConstraint` entries on the local stack, in three parts:
 * 1. the month's days, each a real day-ahead cycle (look-ahead through the same use case as
 *    `POST /anm/look-aheads`, orders through the order use case while its markets are open, the
 *    real ASL on the local interpreter to publication) — all the month's cycles submitted at once,
 *    closing in groups of a few days one gate closure after another (D-238), so the month costs
 *    one wait, not 30, and only a group's Match steps run at a time;
 * 2. the month's half-hourly export readings (entries × days × 48) as one CSV per participant
 *    put through the pre-signed upload (session, PUT, the bucket's event running the
 *    `MeterUploadReceived` consumer, `POST /meter-readings { uploadId }` until 201, D-232),
 *    against parsing the same files with the same streaming reader alone (the ratio is the
 *    figure that counts: the same process, the same machine);
 * 3. the run: `POST /settlement-runs` with the platform clock past the month's meter deadline,
 *    the settlement workflow's real ASL on the local interpreter, measured from its history
 *    (wall time, the largest state payload between steps) and from the DynamoDB requests its
 *    tasks made (counted on the handlers' client, as the `cycle` section counts) against a lower
 *    bound derived from what each task run touched.
 */
export interface SettlementScale {
  constraints: number;
  entriesPerConstraint: number;
  /** Each onboards with every participants-th entry and uploads its own CSV. */
  participants: number;
  days: number;
  /**
   * Offers on each seller's entry in each market (0.1 MW each). Each market also gets a few
   * bids of 0.9 MW, enough to take every offer, so each offer makes about one trade (D-237).
   */
  offersPerSeller: number;
  /** The time the cycles get to open their markets before the first group's orders start. */
  openBudgetMs: number;
  /** The most time the orders get before the gate closures, shared by the groups. */
  orderBudgetMs: number;
  /** Days whose cycles share a gate closure; the groups close one after another (D-238). */
  cyclesPerClosure: number;
}

export interface SettlementResult {
  entries: number;
  days: number;
  readings: number;
  files: number;
  fileBytes: number;
  /** Readings per second through the pre-signed upload, end to end. */
  uploadReadingsPerSecond: number;
  /** Readings per second of the streaming reader alone on the same bytes. */
  parseReadingsPerSecond: number;
  /** parse ÷ upload: how much the platform adds to reading the file. */
  ratio: number;
  /** How the month's days were built (real cycles, not items written directly). */
  daysBuiltBy: string;
  ordersPerDay: number;
  /** Orders not placed because gate closure came first (0 unless the machine was too slow). */
  lateOrders: number;
  /** Days whose cycle failed and published its fallback (no trades). */
  fallbackDays: number;
  trades: number;
  minTradesPerDay: number;
  /** Building the month's days: look-aheads, orders and the cycles to publication. */
  daysMs: number;
  /** The settlement execution, started to succeeded. */
  runWallMs: number;
  statements: number;
  /** The largest input or output of any state of the run (bar 64 KB; Step Functions: 256 KB). */
  maxStatePayloadBytes: number;
  /** DynamoDB requests the run's tasks made. */
  dynamodbRequests: number;
  /**
   * Σ over the run's task runs of the fewest requests what it touched allows: ⌈items written /
   * 25⌉ (batch writes of 25) + one query per partition queried + ⌈items read by key / 100⌉.
   */
  dynamodbLowerBound: number;
  /** requests ÷ lower bound (bar 1.25). */
  requestRatio: number;
  /** The `cycle` section's coarser bound (one request per partition queried), for comparison. */
  coarseLowerBound: number;
  coarseRequestRatio: number;
  byTask: Record<
    string,
    { runs: number; requests: number; lowerBound: number; coarseLowerBound: number }
  >;
}

const FIRST_DAY = "2027-06-01";
/** After June's last meter deadline (the 5th working day and a margin): the run may start. */
const RUN_AT = "2027-07-20T10:00:00Z";
const RUN_STATES = new Set([
  "PrepareRun",
  "ComputeDayLines",
  "IssueStatements",
  "CompleteRun",
  "MarkRunFailed",
]);

interface DayOrder {
  participantId: string;
  order: ReturnType<typeof syntheticOrder>;
}

/** Bids per market: 0.9 MW each, enough between them for every offer of the market. */
const bidsPerMarket = (sellers: number, offersPerSeller: number) =>
  Math.ceil((sellers * offersPerSeller * 0.1) / 0.9) + 1;

/**
 * The orders of one day's markets (D-237): on each seller's entry `offersPerSeller` offers of
 * 0.1 MW at £5–13/MW/h + £20–30/MWh, and on the market's first buyers' entries bids of 0.9 MW at
 * £16/MW/h + £34/MWh (above every offer), enough to take every offer. Greedy matching then makes
 * one trade per offer (a few more where an offer is split between two bids), so a day's trades
 * cost about 1.1 orders each rather than the 4 of the `cycle` section's uniform orders.
 */
function ordersOfDay(
  opportunities: Awaited<ReturnType<typeof deps.markets.listOpportunitiesOfCycle>>,
  offersPerSeller: number,
): DayOrder[] {
  const byMarket = new Map<string, typeof opportunities>();
  for (const o of opportunities) {
    const list = byMarket.get(o.marketId) ?? [];
    list.push(o);
    byMarket.set(o.marketId, list);
  }
  const orders: DayOrder[] = [];
  for (const list of byMarket.values()) {
    const sellers = list.filter((o) => o.side === "sell");
    sellers.forEach((o, s) => {
      for (let j = 0; j < offersPerSeller; j += 1)
        orders.push({ participantId: o.participantId, order: syntheticOrder(o, s + j, 0.1) });
    });
    const bids = list
      .filter((o) => o.side === "buy")
      .slice(0, bidsPerMarket(sellers.length, offersPerSeller));
    for (const o of bids)
      orders.push({
        participantId: o.participantId,
        order: { ...syntheticOrder(o, 6, 0.9), utilisationPrice: 34 },
      });
  }
  return orders;
}

/** A participant's CSV: its entries, day by day, 48 SPs of export in kWh. */
function participantCsv(scheme: string, entries: string[], days: string[]): Buffer {
  const lines = ["anmSchemeId,entryId,deliveryDate,settlementPeriod,direction,unit,value"];
  entries.forEach((entryId, e) => {
    for (const date of days)
      for (let sp = 1; sp <= 48; sp += 1)
        lines.push(`${scheme},${entryId},${date},${sp},export,kWh,${(e + sp) % 1000}.5`);
  });
  return Buffer.from(`${lines.join("\r\n")}\r\n`, "utf8");
}

async function* chunks(bytes: Buffer, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/**
 * The `cycle` section's lower bound of a task run: ⌈items written / 25⌉ + one request per
 * partition queried + ⌈items read by key / 100⌉. It counts every Query of one partition as one
 * request, whatever its sort-key range and size.
 */
const coarseLowerBoundOf = (run: TaskRun) =>
  Math.ceil(run.itemsWritten / 25) +
  run.partitionsQueried.size +
  Math.ceil(run.keysRead.size / 100);

/** Per task run: each distinct key range queried → the capacity of its largest full read. */
const rangesOf = new WeakMap<
  TaskRun,
  Map<string, { chain: number; max: number; perPage: number }>
>();

/**
 * The settlement section's lower bound of a task run (what it touched, however it is read):
 * ⌈items written / 25⌉ (BatchWriteItem takes 25) + ⌈items read by key / 100⌉ (BatchGetItem
 * takes 100) + for each distinct key range queried (a partition and a sort-key condition: the
 * look-ahead, the opportunities and the trades of one cycle are three reads of one partition)
 * the pages its largest full read needs, ⌈bytes / 1 MiB⌉ and at least one (a Query page holds
 * at most 1 MB; bytes from the read capacity DynamoDB reports: 4 KB a unit strongly consistent,
 * 8 KB eventually).
 */
function lowerBoundOf(run: TaskRun): number {
  let pages = 0;
  for (const range of rangesOf.get(run)?.values() ?? [])
    pages += Math.max(1, Math.ceil(range.max / range.perPage));
  return Math.ceil(run.itemsWritten / 25) + Math.ceil(run.keysRead.size / 100) + pages;
}

/** Reads each Query's consumed capacity into {@link rangesOf} (asks DynamoDB to report it). */
function instrumentRanges(runs: AsyncLocalStorage<TaskRun>) {
  return (client: DynamoDBDocumentClient) => {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const run = runs.getStore();
        if (!run || context.commandName !== "QueryCommand") return next(args);
        const input = args.input as {
          IndexName?: string;
          KeyConditionExpression?: string;
          ExpressionAttributeValues?: Record<string, unknown>;
          ExclusiveStartKey?: unknown;
          ConsistentRead?: boolean;
          ReturnConsumedCapacity?: string;
        };
        input.ReturnConsumedCapacity = "TOTAL";
        const values = input.ExpressionAttributeValues ?? {};
        const condition = (input.KeyConditionExpression ?? "").replace(/:\w+/g, (name) =>
          JSON.stringify(values[name]),
        );
        const key = `${input.IndexName ?? "table"}|${condition}`;
        const ranges = rangesOf.get(run) ?? new Map();
        rangesOf.set(run, ranges);
        const range = ranges.get(key) ?? {
          chain: 0,
          max: 0,
          // 1 MiB a page: 256 units of 4 KB (strongly consistent) or 128 of 8 KB (eventually).
          perPage: input.ConsistentRead ? 256 : 128,
        };
        ranges.set(key, range);
        if (input.ExclusiveStartKey === undefined) range.chain = 0;
        const result = await next(args);
        const units = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } })
          .ConsumedCapacity?.CapacityUnits;
        range.chain += units ?? 0;
        range.max = Math.max(range.max, range.chain);
        return result;
      },
      { step: "initialize", name: "benchQueryRanges" },
    );
  };
}

export async function benchSettlement(
  scale: SettlementScale,
  log: (message: string) => void,
): Promise<SettlementResult> {
  process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
  const runs = new AsyncLocalStorage<TaskRun>();
  let finished: TaskRun[] = [];
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
    ...sharedDynamoDbOf("settlement"),
    wrapTask,
    instrumentDynamo: (client) => {
      instrument(runs)(client);
      instrumentRanges(runs)(client);
    },
  });
  try {
    const api = new ApiClient(stack.url);
    const anmSchemeId = `BENCH-SETTLE-${process.pid}`;
    const days = Array.from({ length: scale.days }, (_, d) => addDays(FIRST_DAY, d));
    const schemeOf = (deliveryDate: string): SyntheticScheme => ({
      anmSchemeId,
      deliveryDate,
      constraints: scale.constraints,
      entriesPerConstraint: scale.entriesPerConstraint,
      curtailedMw: Math.floor(scale.entriesPerConstraint * 0.75),
      fromSp: 24,
      toSp: 28,
    });
    const entries = scale.constraints * scale.entriesPerConstraint;

    log(`settlement: onboarding ${scale.participants} participants (${entries} entries)`);
    const traders: { trader: Trader; entries: string[] }[] = [];
    await pool(
      Array.from({ length: scale.participants }, (_, p) => async () => {
        const own = syntheticEntriesOf(schemeOf(FIRST_DAY), p, scale.participants);
        const trader = await onboard(api, stack.keys.operator, {
          name: `S${p}`,
          anmSchemeId,
          entryIds: own,
          exportCapacityMw: 500,
        });
        traders.push({ trader, entries: own });
      }),
      4,
    );

    // Part 1: the month's cycles, submitted at once but closing in groups of
    // `cyclesPerClosure` days, one gate closure after another (D-238): each group's orders go in
    // while its markets are open, and its Close and Match run while the next group's orders go
    // in, so a few Match steps run at a time rather than the month's 30 (which passed their task
    // timeout together on 2 cores). A day's order count, known before its markets are listed
    // (to set gate closure): one market per constraint, its buyers the entries of curtailedMw
    // (1 MW forecast each).
    const buyers = schemeOf(FIRST_DAY).curtailedMw;
    const sellers = scale.entriesPerConstraint - buyers;
    const ordersPerDay =
      scale.constraints *
      (sellers * scale.offersPerSeller +
        Math.min(buyers, bidsPerMarket(sellers, scale.offersPerSeller)));
    const totalOrders = ordersPerDay * scale.days;
    const groups = Array.from({ length: Math.ceil(scale.days / scale.cyclesPerClosure) }, (_, g) =>
      days.slice(g * scale.cyclesPerClosure, (g + 1) * scale.cyclesPerClosure),
    );
    const daysStarted = Date.now();
    // The markets get `openBudgetMs` to open; then each group's orders get their share of
    // `orderBudgetMs` (at most 20 ms an order). What a gate closure cuts off is counted
    // (lateOrders).
    const openMs = scale.openBudgetMs;
    const msPerOrder = Math.min(20, scale.orderBudgetMs / totalOrders);
    const closureOf = groups.map((_, g) =>
      new Date(
        daysStarted +
          openMs +
          Math.round(
            Math.min((g + 1) * scale.cyclesPerClosure, scale.days) * ordersPerDay * msPerOrder,
          ),
      ).toISOString(),
    );
    log(
      `settlement: ${scale.days} look-aheads, ${totalOrders} orders, ${groups.length} gate closures ${closureOf[0]} … ${closureOf.at(-1)}`,
    );
    const cycleIds: string[] = [];
    for (const [g, group] of groups.entries())
      for (const day of group) {
        const body = LookAheadSchema.parse({
          ...syntheticLookAhead(schemeOf(day), closureOf[g]!),
          lookAheadId: `LA-${anmSchemeId}-${day}`,
        });
        const { cycle } = await submitLookAhead(deps, body, Date.now());
        cycleIds.push(cycle.cycleId);
      }
    let placed = 0;
    let late = 0;
    for (const [g, group] of groups.entries()) {
      const first = g * scale.cyclesPerClosure;
      const gateClosureMs = Date.parse(closureOf[g]!);
      const ordersOf: DayOrder[][] = [];
      for (const cycleId of cycleIds.slice(first, first + group.length)) {
        await waitFor(
          () => deps.cycles.getCycle(cycleId),
          (c) => c?.status === "markets-open" || c?.status === "failed",
          600_000,
          250,
        );
        const day = ordersOfDay(
          await deps.markets.listOpportunitiesOfCycle(cycleId),
          scale.offersPerSeller,
        );
        if (day.length !== ordersPerDay)
          throw new Error(
            `cycle ${cycleId} has ${day.length} orders to place, not ${ordersPerDay}`,
          );
        ordersOf.push(day);
      }
      log(
        `settlement: group ${g + 1}/${groups.length} open after ${Date.now() - daysStarted} ms, ${gateClosureMs - Date.now()} ms to its gate closure`,
      );
      // Day by day in turn (the k-th order of each day, then the k+1-th), so a cut-off is even.
      await pool(
        Array.from({ length: ordersPerDay * group.length }, (_, n) => async () => {
          const d = n % group.length;
          const k = Math.floor(n / group.length);
          const o = ordersOf[d]![k]!;
          const inTime = await beforeGateClosure(gateClosureMs, () =>
            submitOrder(deps, o.participantId, o.order, {
              orderId: `ord-settle-${first + d}-${k}`,
              receivedAtMs: Date.now(),
            }),
          );
          if (!inTime) {
            late += 1;
            return;
          }
          placed += 1;
          if (placed % 10_000 === 0)
            log(`settlement: ${placed} orders placed in ${Date.now() - daysStarted} ms`);
        }),
        16,
      );
    }
    const gateClosureAt = closureOf.at(-1)!;
    log(`settlement: ${placed} orders placed; waiting for gate closure and publication`);
    const tradesOfDay: number[] = [];
    let fallbackDays = 0;
    for (const cycleId of cycleIds) {
      const done = await waitFor(
        () => deps.cycles.getCycle(cycleId),
        (c) => c?.status === "published" || c?.status === "failed",
        Date.parse(gateClosureAt) - Date.now() + 1_800_000,
        1_000,
      );
      // A cycle that failed (e.g. its Match past the task timeout on this loaded machine) has
      // published its fallback: the day settles with no trades. Counted, not fatal.
      if (done?.status !== "published") {
        log(`settlement: cycle ${cycleId} ended ${done?.status} at ${done?.failure?.step ?? "?"}`);
        fallbackDays += 1;
      }
      tradesOfDay.push((await deps.trades.listTradesOfCycle(cycleId)).length);
    }
    const daysMs = Date.now() - daysStarted;
    log(`settlement: days published in ${daysMs} ms; trades a day ${tradesOfDay.join(" ")}`);

    // Part 2: the readings, one CSV per participant (its own entries).
    const files = traders.map((t) => ({
      key: t.trader.apiKey,
      bytes: participantCsv(anmSchemeId, t.entries, days),
    }));
    const readings = entries * scale.days * 48;
    const fileBytes = files.reduce((n, f) => n + f.bytes.length, 0);
    log(
      `settlement: ${readings} readings in ${files.length} files, ${(fileBytes / 1e6).toFixed(1)} MB`,
    );
    let t = performance.now();
    let parsedReadings = 0;
    for (const file of files)
      parsedReadings += (await readMeterCsv(chunks(file.bytes))).readingCount;
    const parseMs = performance.now() - t;
    if (parsedReadings !== readings) throw new Error("the reader lost readings");
    t = performance.now();
    let stored = 0;
    for (const [i, file] of files.entries()) {
      const session = await api.expect(201, "POST", "/meter-uploads", {
        key: file.key,
        body: { contentType: "text/csv", contentLength: file.bytes.length },
      });
      const put = await fetch(session.uploadUrl, {
        method: "PUT",
        headers: session.headers,
        body: file.bytes,
      });
      if (put.status !== 200) throw new Error(`the upload PUT answered ${put.status}`);
      const done = await waitFor(
        () =>
          api.request("POST", "/meter-readings", {
            key: file.key,
            body: { uploadId: session.uploadId },
          }),
        (r) => r.status !== 202,
        600_000,
        100,
      );
      if (done.status !== 201)
        throw new Error(`the upload answered ${done.status} ${JSON.stringify(done.body)}`);
      stored += done.body.readingCount;
      if ((i + 1) % 5 === 0 || i + 1 === files.length)
        log(`settlement: file ${i + 1}/${files.length} stored`);
    }
    const uploadMs = performance.now() - t;
    if (stored !== readings) throw new Error("the upload lost readings");
    const uploadRate = (readings / uploadMs) * 1000;
    const parseRate = (readings / parseMs) * 1000;

    // Part 3: the run, on the platform clock past the month's meter deadline.
    const runAtMs = Date.parse(RUN_AT);
    const offset = runAtMs - Date.now();
    clockSource.current = { nowMs: () => Date.now() + offset };
    finished = [];
    const month = FIRST_DAY.slice(0, 7);
    const started = await api.expect(202, "POST", "/settlement-runs", {
      key: stack.keys.operator,
      body: { month },
    });
    const settlementRunId = started.settlementRunId as string;
    log(`settlement: run ${settlementRunId} started`);
    const ended = await waitFor(
      () => deps.settlement.get(settlementRunId),
      (r) => r?.status === "completed" || r?.status === "failed",
      3_600_000,
      1_000,
    );
    if (ended?.status !== "completed")
      throw new Error(
        `the settlement run ended ${ended?.status} ${JSON.stringify(ended?.failure)}`,
      );
    const events = await waitFor(
      () => history(stack.sfnEndpoint, ended.executionArn!),
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
    const byTask: SettlementResult["byTask"] = {};
    let dynamodbRequests = 0;
    let dynamodbLowerBound = 0;
    let coarseLowerBound = 0;
    for (const run of finished) {
      if (!RUN_STATES.has(run.state)) continue;
      const row = byTask[run.state] ?? { runs: 0, requests: 0, lowerBound: 0, coarseLowerBound: 0 };
      byTask[run.state] = row;
      const lowerBound = lowerBoundOf(run);
      row.runs += 1;
      row.requests += run.requests;
      row.lowerBound += lowerBound;
      row.coarseLowerBound += coarseLowerBoundOf(run);
      dynamodbRequests += run.requests;
      dynamodbLowerBound += lowerBound;
      coarseLowerBound += coarseLowerBoundOf(run);
    }
    const statements = (await deps.settlement.headsOfMonth(month)).filter(
      (h) => h.settlementRunId === settlementRunId,
    ).length;
    return {
      entries,
      days: scale.days,
      readings,
      files: files.length,
      fileBytes,
      uploadReadingsPerSecond: Math.round(uploadRate),
      parseReadingsPerSecond: Math.round(parseRate),
      ratio: Number((parseRate / uploadRate).toFixed(2)),
      daysBuiltBy:
        "real day-ahead cycles (look-ahead and order use cases, the cycle ASL on the local interpreter)",
      ordersPerDay,
      lateOrders: late,
      fallbackDays,
      trades: tradesOfDay.reduce((n, x) => n + x, 0),
      minTradesPerDay: Math.min(...tradesOfDay),
      daysMs,
      runWallMs: at("ExecutionSucceeded") - at("ExecutionStarted"),
      statements,
      maxStatePayloadBytes: Math.max(...payloads.map((p) => Buffer.byteLength(p, "utf8"))),
      dynamodbRequests,
      dynamodbLowerBound,
      requestRatio: Number((dynamodbRequests / Math.max(1, dynamodbLowerBound)).toFixed(2)),
      coarseLowerBound,
      coarseRequestRatio: Number((dynamodbRequests / Math.max(1, coarseLowerBound)).toFixed(2)),
      byTask,
    };
  } finally {
    clockSource.current = systemClock;
    await stack.stop();
  }
}
