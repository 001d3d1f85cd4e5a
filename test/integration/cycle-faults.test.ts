import { AsyncLocalStorage } from "node:async_hooks";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { cycleIdOf } from "../../functions/core/use-cases/submit-look-ahead";
import { deps } from "../../functions/runtime/deps";
import { onboard, orderBodyOf, waitFor } from "../../lib/client/api-client";
import type { LambdaHandler } from "../../lib/local/lambda-context";
import { type AwsFaultCounts, injectAwsFaults } from "../support/aws-faults";
import { useLocalStack } from "../support/use-local-stack";
import { workedExample } from "../support/worked-example";

/**
 * Fault injection (reliability.md, FI): a workflow task crashes after writing part of its output
 * (or after writing all of it, before reporting success); the ASL's Retry runs it again, and the
 * final trades and MOL must equal those of a clean run. A task that keeps failing ends the cycle
 * `failed`, with the original MOL published and the failing step shown to the operator.
 *
 * "Part of its output": each task attempt runs in an AsyncLocalStorage context; SDK middleware on
 * the handlers' own DynamoDB client (`instrumentDynamo`) counts the attempt's write requests and,
 * when planned, throws right after the k-th one has been stored, so the writes before it are in
 * the table and those after it are not. k takes every value from 1 to n − 1, n being what the
 * same task wrote in the clean run (D-31).
 *
 * AWS faults: in one more cycle every AWS call of every task meets, once, the fault DynamoDB gives
 * that call (throttling, unprocessed batch items, a transaction conflict); the result must again
 * equal the clean run's. ConditionalCheckFailed is not injected: it only means something if the
 * item really changed, and the re-runs above meet it for real (every re-written item exists).
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

type Plan = {
  kind: "end" | "always" | "mid" | "aws" | "lag";
  crashes: number;
  crashAfter?: number;
};
const plans = new Map<string, Plan>();

class InjectedCrash extends Error {
  override name = "InjectedCrash";
}

/** One attempt of one task: its write requests so far, and where it is to crash. */
interface Attempt {
  state: string;
  writes: number;
  /** The attempt's write requests by command, in order (for the figures). */
  commands: string[];
  crashAfter?: number;
  /** AWS faults on this attempt's calls (plan `aws`). */
  aws?: boolean;
  /** The market index lags on this attempt: its market list comes back one short (plan `lag`). */
  lag?: boolean;
}
const attempt = new AsyncLocalStorage<Attempt>();
/** Write requests per attempt, by `cycleId|state`, in attempt order. */
const writesPerAttempt = new Map<string, number[]>();
/** The write commands of each task's first attempt, by `cycleId|state`. */
const firstAttemptCommands = new Map<string, string[]>();
const WRITE_COMMAND = /^(BatchWrite|Put|Update|Delete|TransactWrite)(Item|Items)?Command$/;

/** Counts the running attempt's writes; throws after the planned one has been stored. */
function instrumentDynamo(client: DynamoDBDocumentClient) {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const current = attempt.getStore();
      if (current && WRITE_COMMAND.test(context.commandName ?? "")) {
        current.writes += 1;
        current.commands.push(String(context.commandName).replace(/Command$/, ""));
        if (current.writes === current.crashAfter)
          throw new InjectedCrash(
            `${current.state} crashed after write ${current.writes} (${context.commandName})`,
          );
      }
      return result;
    },
    { step: "initialize", name: "faultInjection" },
  );
  injectAwsFaults(client, () => attempt.getStore()?.aws === true, awsFaults);
  // Index lag: the markets-of-a-cycle index (gsi2) answers one market short.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const input = args.input as { IndexName?: string };
      if (
        attempt.getStore()?.lag &&
        context.commandName === "QueryCommand" &&
        input.IndexName === "gsi2"
      ) {
        const output = result.output as { Items?: unknown[] };
        output.Items = (output.Items ?? []).slice(0, -1);
      }
      return result;
    },
    { step: "initialize", name: "indexLagInjection" },
  );
}

/** AWS faults on the calls of the tasks of a cycle planned `aws` (test/support/aws-faults.ts). */
const awsFaults: AwsFaultCounts = { throttled: 0, unprocessedItems: 0, conflicts: 0 };

function wrapTask(state: string, handler: LambdaHandler): LambdaHandler {
  return async (event, ctx) => {
    const cycleId = (event as { cycleId?: string }).cycleId ?? "";
    const key = `${cycleId}|${state}`;
    const plan = plans.get(key);
    const current: Attempt = { state, writes: 0, commands: [] };
    if (plan?.kind === "mid" && plan.crashes === 0) current.crashAfter = plan.crashAfter;
    // `always` with a cut point: every attempt crashes there.
    if (plan?.kind === "always" && plan.crashAfter !== undefined)
      current.crashAfter = plan.crashAfter;
    if (plan?.kind === "aws") current.aws = true;
    if (plan?.kind === "lag" && plan.crashes === 0) current.lag = true;
    const counts = writesPerAttempt.get(key) ?? [];
    writesPerAttempt.set(key, counts);
    let result: unknown;
    try {
      result = await attempt.run(current, () => handler(event, ctx));
    } catch (error) {
      if (error instanceof InjectedCrash || (error as Error).name === "MarketIndexLagError")
        plan!.crashes += 1;
      throw error;
    } finally {
      counts.push(current.writes);
      if (!firstAttemptCommands.has(key)) firstAttemptCommands.set(key, current.commands);
    }
    if (
      !plan ||
      plan.kind === "mid" ||
      plan.kind === "aws" ||
      plan.kind === "lag" ||
      (plan.kind === "end" && plan.crashes > 0)
    )
      return result;
    plan.crashes += 1;
    throw new InjectedCrash(`${state} crashed after writing everything, before reporting success`);
  };
}

const local = useLocalStack({ wrapTask, instrumentDynamo });
const scenario = workedExample();

/** Runs the worked example as its own scheme; returns its trades and MOL with ids normalised. */
async function runCycle(name: string, faults: Record<string, Omit<Plan, "crashes">>) {
  const scheme = `FI-${name}-${process.pid}`;
  const traders = new Map<string, string>();
  for (const asset of scenario.assets)
    traders.set(
      asset.participantId,
      (
        await onboard(local.api, local.stack.keys.operator, {
          name: `${name}${asset.participantId}`,
          anmSchemeId: scheme,
          entryIds: asset.molEntryIds,
        })
      ).apiKey,
    );
  const body = {
    ...structuredClone(scenario.lookAhead),
    anmSchemeId: scheme,
    lookAheadId: `LA-${name}`,
    // Generous: nine runs at once on a shared machine took over 9 s from look-ahead to orders.
    gateClosureAt: new Date(Date.now() + 20_000).toISOString(),
  };
  // Plans are in place before the look-ahead arrives: the execution starts with the request.
  const cycleId = cycleIdOf(scheme, body.lookAheadId);
  const applied: Plan[] = [];
  for (const [state, fault] of Object.entries(faults)) {
    const plan = { ...fault, crashes: 0 };
    plans.set(`${cycleId}|${state}`, plan);
    applied.push(plan);
  }
  const accepted = await local.api.expect(202, "POST", "/anm/look-aheads", {
    key: local.stack.keys.anm,
    body,
  });
  expect(accepted.cycleId).toBe(cycleId);
  const cycle = await waitFor(
    () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: local.stack.keys.operator }),
    (c) => c.status !== "running",
    120_000,
  );
  if (cycle.status === "markets-open") {
    const { items } = await local.api.expect(
      200,
      "GET",
      `/opportunities?deliveryDate=${body.deliveryDate}`,
      { key: traders.get("g4")! },
    );
    for (const o of scenario.orders)
      await local.api.expect(201, "POST", "/orders", {
        key: traders.get(o.participantId)!,
        body: orderBodyOf(o, items[0].marketId),
      });
  }
  const done = await waitFor(
    () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: local.stack.keys.operator }),
    (c) => c.status === "published" || c.status === "failed",
    60_000,
  );
  // A task can crash after marking the cycle published (Publish's later writes); the cycle's
  // attempts are complete only when the execution has ended.
  await waitFor(
    () =>
      local.api.expect(200, "GET", `/cycles/${cycleId}/execution`, {
        key: local.stack.keys.operator,
      }),
    (e) => e.status !== "RUNNING",
    40_000,
  );
  const trades = (
    await local.api.expect(200, "GET", `/trades?deliveryDate=${body.deliveryDate}`, {
      key: traders.get("g4")!,
    })
  ).items;
  const mol = await local.api.expect(
    200,
    "GET",
    `/anm/merit-order?anmSchemeId=${scheme}&deliveryDate=${body.deliveryDate}&constraintId=C1`,
    { key: local.stack.keys.anm },
  );
  const tradeIds: string[] = trades.map((t: { tradeId: string }) => t.tradeId);
  const normal = (text: string) =>
    text
      .replace(/trd-[0-9a-f]+/g, (id) => `T${tradeIds.indexOf(id)}`)
      .replace(/mkt-[0-9a-f]+/g, "M");
  return {
    cycleId,
    cycle: done,
    crashes: applied.map((p) => p.crashes),
    trades: JSON.parse(
      normal(
        JSON.stringify(
          trades.map(({ buyOrderId: _b, sellOrderId: _s, ...t }: Record<string, unknown>) => t),
        ),
      ),
    ),
    mol: JSON.parse(
      normal(
        JSON.stringify({
          status: mol.status,
          fallback: mol.fallback,
          version: mol.version,
          segments: mol.segments,
        }),
      ),
    ),
  };
}

const STEPS = [
  "IngestLookAhead",
  "DeriveOpportunities",
  "OpenMarkets",
  "CloseMarkets",
  "Match",
  "ReorderMeritOrder",
  "Publish",
];

type Run = Awaited<ReturnType<typeof runCycle>>;
let cleanRun: Promise<Run> | undefined;
/** The fault-free run every faulty one is compared with (run once, shared by the tests). */
function clean(): Promise<Run> {
  cleanRun ??= runCycle("clean", {});
  return cleanRun;
}

/** Write requests of each attempt of a task in a run. */
const writesOf = (run: Run, state: string) => writesPerAttempt.get(`${run.cycleId}|${state}`) ?? [];

function expectSameOutcome(run: Run, reference: Run, label: string) {
  expect(run.crashes[0], label).toBeGreaterThan(0);
  expect(run.cycle.status, label).toBe("published");
  expect(run.trades, label).toEqual(reference.trades);
  expect(run.mol, label).toEqual(reference.mol);
}

describe("FI: a crashed task is retried to the same result", () => {
  it("gives the clean run's trades and MOL when every task crashes once after writing its output", async () => {
    const [reference, ...faulty] = await Promise.all([
      clean(),
      ...STEPS.map((step) => runCycle(`end${step}`, { [step]: { kind: "end" } })),
    ]);
    expect(reference!.cycle.status).toBe("published");
    expect(reference!.trades).toHaveLength(2);
    expect(reference!.mol.segments[0].entries).toHaveLength(9);
    faulty.forEach((run, i) => {
      expectSameOutcome(run, reference!, STEPS[i]!);
    });
  }, 180_000);

  it("gives the clean run's trades and MOL when every task crashes once in the middle of its writes, at every cut point", async () => {
    const reference = await clean();
    expect(reference.cycle.status).toBe("published");
    // Every cut point of every task: after write k of the n write requests it made in the clean
    // run, for k = 1 … n − 1 (the half-way point among them); k = n is the "end" case above. A
    // task with a single write request (IngestLookAhead: only its progress marker on the cycle,
    // the look-ahead itself is stored by the API) crashes after that one.
    const points = STEPS.flatMap((step) => {
      const attempts = writesOf(reference, step);
      expect(attempts, step).toHaveLength(1);
      const total = attempts[0]!;
      expect(total, step).toBeGreaterThan(0);
      const cuts = total === 1 ? [1] : Array.from({ length: total - 1 }, (_, i) => i + 1);
      return cuts.map((crashAfter) => ({ step, total, crashAfter }));
    });
    const runs: Run[] = [];
    for (
      let i = 0;
      i < points.length;
      i += 8 // 8 cycles at a time: a 2-core machine
    )
      runs.push(
        ...(await Promise.all(
          points
            .slice(i, i + 8)
            .map(({ step, crashAfter }) =>
              runCycle(`mid${step}${crashAfter}`, { [step]: { kind: "mid", crashAfter } }),
            ),
        )),
      );
    const cleanWrites = STEPS.map(
      (step) =>
        `${step}: ${firstAttemptCommands.get(`${reference.cycleId}|${step}`)?.join(", ") ?? "-"}`,
    );
    const figures = points.map(({ step, total, crashAfter }, i) => ({
      step,
      cleanWrites: total,
      crashAfter,
      writesPerAttempt: writesOf(runs[i]!, step).join(" → "),
    }));
    console.info(
      `FI write requests of each task in the clean run:\n${cleanWrites.join("\n")}\nFI mid-write crashes:\n${figures.map((f) => JSON.stringify(f)).join("\n")}`,
    );
    runs.forEach((run, i) => {
      const { step, crashAfter } = points[i]!;
      const label = `${step} after write ${crashAfter}`;
      expectSameOutcome(run, reference, label);
      const attempts = writesOf(run, step);
      // The first attempt stopped at the planned write; a later one ran to the end.
      expect(attempts[0], label).toBe(crashAfter);
      expect(attempts.length, label).toBeGreaterThan(1);
    });
  }, 300_000);

  it("gives the clean run's trades and MOL when every AWS call of the cycle meets a fault once (throttling, unprocessed batch items, transaction conflicts)", async () => {
    const reference = await clean();
    const run = await runCycle(
      "aws",
      Object.fromEntries(STEPS.map((step) => [step, { kind: "aws" as const }])),
    );
    console.info(`FI AWS faults injected: ${JSON.stringify(awsFaults)}`);
    expect(awsFaults.throttled).toBeGreaterThan(10);
    expect(awsFaults.unprocessedItems).toBeGreaterThan(0);
    expect(awsFaults.conflicts).toBeGreaterThan(2);
    expect(run.cycle.status).toBe("published");
    expect(run.trades).toEqual(reference.trades);
    expect(run.mol).toEqual(reference.mol);
    // Every fault was absorbed inside the task (the SDK's retries for throttling, the adapters'
    // for unprocessed items and conflicts): no task needed the workflow's Retry.
    for (const step of STEPS) expect(writesOf(run, step), step).toHaveLength(1);
  }, 90_000);

  it("§10, D-38: waits out a lagging market index: the step fails MARKET_INDEX_LAG, the Retry reads again, same result", async () => {
    const reference = await clean();
    const steps = ["OpenMarkets", "CloseMarkets", "Match", "ReorderMeritOrder"];
    const runs = await Promise.all(
      steps.map((step) => runCycle(`lag${step}`, { [step]: { kind: "lag" } })),
    );
    runs.forEach((run, i) => {
      const step = steps[i]!;
      expectSameOutcome(run, reference, `index lag at ${step}`);
      expect(writesOf(run, step).length, step).toBe(2);
    });
  }, 120_000);

  it("§10, R-REORDER-6, D-39: publishes the fallback MOL without the pages a failing Publish wrote before it crashed", async () => {
    const reference = await clean();
    const commands = firstAttemptCommands.get(`${reference.cycleId}|Publish`) ?? [];
    const pagesWritten = commands.indexOf("BatchWriteItem") + 1;
    expect(pagesWritten, commands.join(", ")).toBeGreaterThan(0);
    // Every attempt of Publish stores the re-ordered MOL's pages, then crashes before the
    // version that would point at them; the fallback takes that version number.
    const run = await runCycle("pagesThenCrash", {
      Publish: { kind: "always", crashAfter: pagesWritten },
    });
    expect(run.cycle.status).toBe("failed");
    expect(run.cycle.failure).toMatchObject({ step: "Publish", error: "InjectedCrash" });
    expect(run.mol).toMatchObject({
      status: "published",
      fallback: true,
      version: 1,
      segments: [],
    });
    await expectNoTradeInForce(run);
  }, 90_000);

  it("ends a cycle whose task keeps failing as `failed`, with the original MOL published and the step shown", async () => {
    const run = await runCycle("broken", { Match: { kind: "always" } });
    expect(run.cycle.status).toBe("failed");
    expect(run.cycle.failure).toMatchObject({ step: "Match", error: "InjectedCrash" });
    expect(run.cycle.failure.cause).not.toMatch(/\n\s+at /);
    expect(run.mol).toMatchObject({ status: "published", fallback: true, segments: [] });
    await expectNoTradeInForce(run);
  }, 90_000);
});

/**
 * §10, R-SETTLE-1, D-298: the trades a failed cycle's Match stored (they are in the table) take
 * no effect: no party and not the operator sees them in `GET /trades`, `GET /performance` (the
 * post-trade day every later rule and the settlement read) has nothing for them, and their
 * market cannot be vetoed (R-VERIFY-8: it has no trades).
 */
async function expectNoTradeInForce(run: Run) {
  const stored = await deps.trades.listTradesOfCycle(run.cycleId);
  expect(stored.length, "the trades Match stored").toBe(scenario.expected.trades.length);
  expect(run.trades).toEqual([]);
  const deliveryDate = run.cycle.deliveryDate;
  const ids = new Set(stored.map((t) => t.tradeId));
  const trades = await allPages(`/trades?deliveryDate=${deliveryDate}`);
  const performance = await allPages(`/performance?deliveryDate=${deliveryDate}`);
  expect(trades.filter((i) => ids.has(i.tradeId))).toEqual([]);
  expect(performance.filter((i) => ids.has(i.tradeId))).toEqual([]);
  // The clean run's trades on the same day are listed: the reads do answer for that day.
  const reference = await clean();
  const cleanIds = new Set(
    (await deps.trades.listTradesOfCycle(reference.cycleId)).map((t) => t.tradeId),
  );
  expect(performance.filter((i) => cleanIds.has(i.tradeId)).length).toBe(2 * cleanIds.size);
  const [market] = await deps.markets.listMarketsOfCycle(run.cycleId);
  const refused = await local.api.expect(409, "POST", "/anm/market-vetoes", {
    key: local.stack.keys.anm,
    body: { marketId: market!.marketId, reason: "a failed cycle's market" },
  });
  expect(refused.code).toBe("MARKET_NOT_VETOABLE");
}

/** Every item of an operator list, page by page. */
async function allPages(path: string): Promise<{ tradeId: string }[]> {
  const items: { tradeId: string }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await local.api.expect(
      200,
      "GET",
      `${path}&limit=100${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ""}`,
      { key: local.stack.keys.operator },
    );
    items.push(...page.items);
    nextToken = page.nextToken ?? undefined;
  } while (nextToken);
  return items;
}
