import { AsyncLocalStorage } from "node:async_hooks";
import { type DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../functions/adapters/clock";
import { addDays } from "../../functions/core/model/calendar";
import { settlementRunIdOf } from "../../functions/core/settlement/settlement-run";
import { clockSource } from "../../functions/runtime/deps";
import { SETTLEMENT_RUN } from "../../functions/workflow/workflows";
import { onboard, orderBodyOf, type Trader, waitFor } from "../../lib/client/api-client";
import type { LambdaHandler } from "../../lib/local/lambda-context";
import { type AwsFaultCounts, injectAwsFaults } from "../support/aws-faults";
import { postTradeExample } from "../support/post-trade-example";
import { useLocalStack } from "../support/use-local-stack";

/**
 * Fault injection at every step of the settlement run (reliability.md FI, D-31), as for the
 * day-ahead cycle: each task attempt runs in an AsyncLocalStorage context; SDK middleware on the
 * handlers' DynamoDB client counts the attempt's writes and, when planned, throws right after
 * one has been stored. The month of variant A of the post-trade worked example is settled once
 * clean, and again (the same day moved into another month, with the same inputs) with
 * - every step crashing once after writing everything, before reporting success;
 * - every step crashing once in the middle of its writes (after ⌈n/2⌉ of the n writes the step
 *   made in the clean run; after its first when it made one);
 * - every AWS call of every step meeting, once, the fault DynamoDB gives it (throttling,
 *   unprocessed batch items, a transaction conflict);
 * - ComputeDayLines failing on every attempt: the run ends `failed`, names the step, issues
 *   nothing; a later run of the month issues what the clean run issued.
 * Each faulted run must leave the same statements, versions and lines as the clean run, and one
 * `statement.issued` event per statement version, never two.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

type Plan = { kind: "end" | "mid" | "aws" | "always"; crashes: number; crashAfter?: number };
const plans = new Map<string, Plan>();

class InjectedCrash extends Error {
  override name = "InjectedCrash";
}

interface Attempt {
  writes: number;
  crashAfter?: number;
  aws?: boolean;
}
const attempt = new AsyncLocalStorage<Attempt>();
/** Writes of each step's first attempt, by `settlementRunId|state`. */
const firstWrites = new Map<string, number>();
const WRITE_COMMAND = /^(BatchWrite|Put|Update|Delete|TransactWrite)(Item|Items)?Command$/;
const awsFaults: AwsFaultCounts = { throttled: 0, conflicts: 0, unprocessedItems: 0 };

function instrumentDynamo(client: DynamoDBDocumentClient) {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const current = attempt.getStore();
      if (current && WRITE_COMMAND.test(context.commandName ?? "")) {
        current.writes += 1;
        if (current.writes === current.crashAfter)
          throw new InjectedCrash(`crashed after write ${current.writes}`);
      }
      return result;
    },
    { step: "initialize", name: "faultInjection" },
  );
  injectAwsFaults(client, () => attempt.getStore()?.aws === true, awsFaults);
}

function wrapTask(state: string, handler: LambdaHandler): LambdaHandler {
  return async (event, ctx) => {
    const runId = (event as { settlementRunId?: string }).settlementRunId ?? "";
    const day = (event as { day?: string }).day ?? "";
    const key = `${runId}|${state}`;
    const plan = plans.get(key);
    const current: Attempt = { writes: 0 };
    if (plan?.kind === "mid" && plan.crashes === 0) current.crashAfter = plan.crashAfter;
    if (plan?.kind === "aws") current.aws = true;
    let result: unknown;
    try {
      result = await attempt.run(current, () => handler(event, ctx));
    } catch (error) {
      if (error instanceof InjectedCrash) plan!.crashes += 1;
      throw error;
    } finally {
      if (!firstWrites.has(`${key}|${day}`)) firstWrites.set(`${key}|${day}`, current.writes);
    }
    if (plan?.kind === "always" || (plan?.kind === "end" && plan.crashes === 0)) {
      plan.crashes += 1;
      throw new InjectedCrash(`${state} crashed after writing everything, before reporting`);
    }
    return result;
  };
}

const local = useLocalStack({ wrapTask, instrumentDynamo });
afterAll(() => {
  clockSource.current = systemClock;
});

const example = postTradeExample();
const VARIANT = example.variants.find((v: Record<string, unknown>) => v.name === "full-delivery");
const DATE = example.lookAhead.deliveryDate as string;
const STEPS = SETTLEMENT_RUN.tasks.map((t) => t.state).filter((s) => s !== "MarkRunFailed");
type Item = Record<string, any>;

/** Variant A's day moved to `date` (same weekday rules do not matter for generation). */
function moved(body: unknown, date: string, scheme: string): any {
  return JSON.parse(
    JSON.stringify(body)
      .replaceAll(DATE, date)
      .replaceAll(addDays(DATE, -1), addDays(date, -1))
      .replaceAll(addDays(DATE, 1), addDays(date, 1))
      .replaceAll(example.lookAhead.anmSchemeId, scheme),
  );
}

interface Month {
  name: string;
  date: string;
  scheme: string;
  traders: Map<string, Trader>;
}

/** The day-ahead market of every month's day, at once (one gate closure a few seconds ahead). */
async function dayAhead(months: Month[]) {
  clockSource.current = systemClock;
  for (const m of months)
    for (const asset of example.assets)
      m.traders.set(
        asset.participantId,
        await onboard(local.api, local.stack.keys.operator, {
          name: `${m.name}${asset.participantId}`,
          anmSchemeId: m.scheme,
          entryIds: asset.molEntryIds,
        }),
      );
  // Gate closure once everyone is onboarded, far enough ahead for 5 × 5 orders on a slow machine.
  const gateClosureAt = new Date(Date.now() + 45_000).toISOString();
  const cycles: string[] = [];
  for (const m of months) {
    const accepted = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body: { ...moved(example.lookAhead, m.date, m.scheme), gateClosureAt },
    });
    cycles.push(accepted.cycleId);
  }
  for (const [i, m] of months.entries()) {
    await waitFor(
      () =>
        local.api.expect(200, "GET", `/cycles/${cycles[i]}`, { key: local.stack.keys.operator }),
      (c) => c.status === "markets-open",
    );
    const { items } = await local.api.expect(200, "GET", `/markets?deliveryDate=${m.date}`, {
      key: local.stack.keys.operator,
    });
    const market = items.find((x: Item) => x.anmSchemeId === m.scheme);
    for (const o of example.orders)
      await local.api.expect(201, "POST", "/orders", {
        key: m.traders.get(o.participantId)!.apiKey,
        body: orderBodyOf(o, market.marketId),
      });
    for (const n of VARIANT.nominations) {
      const owner = example.assets.find((a: Item) => a.molEntryIds.includes(n.body.entryId));
      await local.api.expect(200, "PUT", "/baselines", {
        key: m.traders.get(owner.participantId)!.apiKey,
        body: moved(n.body, m.date, m.scheme),
      });
    }
  }
  for (const cycleId of cycles)
    await waitFor(
      () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: local.stack.keys.operator }),
      (c) => c.status === "published",
      90_000,
    );
  for (const m of months) {
    const actuals = VARIANT.anmActuals[0];
    at(moved(actuals.receivedAt, m.date, m.scheme));
    // Per-unit values name trades by the scenario's names; every month leaves them out alike
    // (the units' curtailment is then modelled from the MOL).
    const body = moved(actuals.body, m.date, m.scheme);
    for (const c of body.constraints) delete c.appliedCurtailment;
    await local.api.expect(202, "POST", "/anm/actuals", { key: local.stack.keys.anm, body });
    for (const r of VARIANT.meterReadings) {
      at(moved(r.receivedAt, m.date, m.scheme));
      const entryId =
        r.contentType === "text/csv"
          ? r.body.split("\r\n")[1].split(",")[1]
          : r.body.readings[0].entryId;
      const owner = example.assets.find((a: Item) => a.molEntryIds.includes(entryId));
      await local.api.expect(201, "POST", "/meter-readings", {
        key: m.traders.get(owner.participantId)!.apiKey,
        body: moved(r.body, m.date, m.scheme),
        headers: { "content-type": r.contentType },
      });
    }
  }
}

const at = (iso: string) => {
  const ms = Date.parse(iso);
  clockSource.current = { nowMs: () => ms };
};

/** When a month is settled: 09:00 local on the 6th of the next month. */
const runAtOf = (date: string) => {
  const next = addDays(`${date.slice(0, 7)}-28`, 7).slice(0, 7);
  return `${next}-06T09:00:00+01:00`;
};

/** Starts the month's run (the plans set first) and waits for it to end. */
async function settle(m: Month, faults: Partial<Record<string, Omit<Plan, "crashes">>>) {
  const runAt = runAtOf(m.date);
  at(runAt);
  const runId = settlementRunIdOf(m.date.slice(0, 7), Date.parse(runAt));
  const applied: Record<string, Plan> = {};
  for (const [state, fault] of Object.entries(faults)) {
    applied[state] = { ...fault!, crashes: 0 };
    plans.set(`${runId}|${state}`, applied[state]);
  }
  const started = await local.api.expect(202, "POST", "/settlement-runs", {
    key: local.stack.keys.operator,
    body: { month: m.date.slice(0, 7) },
  });
  expect(started.settlementRunId).toBe(runId);
  const run = await waitFor(
    () =>
      local.api.expect(200, "GET", `/settlement-runs/${runId}`, { key: local.stack.keys.operator }),
    (r) => r.status !== "running",
    120_000,
    500,
  );
  return { run, applied };
}

/** The month's statements as each participant reads them, ids and the month taken out. */
async function statementsOf(m: Month) {
  const out: Item[] = [];
  for (const [name, trader] of m.traders) {
    const { items } = await local.api.expect(
      200,
      "GET",
      `/statements?month=${m.date.slice(0, 7)}`,
      {
        key: trader.apiKey,
      },
    );
    for (const s of items) {
      const detail = await local.api.expect(200, "GET", `/statements/${s.statementId}`, {
        key: trader.apiKey,
      });
      out.push({
        participant: name,
        version: detail.version,
        payableGbp: detail.payableGbp,
        receivableGbp: detail.receivableGbp,
        netGbp: detail.netGbp,
        lines: detail.lines
          .map((l: Item) => ({
            role: l.role,
            entryId: l.entryId,
            counterpartyEntryId: l.counterpartyEntryId,
            quantityMw: l.quantityMw,
            validHours: l.validHours,
            expectedMwh: l.expectedMwh,
            deliveredMwh: l.deliveredMwh,
            performanceMultiplier: l.performanceMultiplier,
            totalGbp: l.totalGbp,
            flags: l.flags,
          }))
          // Statement order is by trade id, which differs from month to month.
          .sort((a: Item, b: Item) =>
            `${a.role}${a.counterpartyEntryId}`.localeCompare(`${b.role}${b.counterpartyEntryId}`),
          ),
      });
    }
  }
  return out.sort((a, b) => a.participant.localeCompare(b.participant));
}

/**
 * `statement.issued` events per statement version of these participants that are deliverable:
 * in the outbox, and their change released (a run's change is released when it completes).
 */
async function issuedEvents(m: Month): Promise<Map<string, number>> {
  const { dynamoDocumentClient } = await import("../../functions/runtime/clients");
  const ids = new Set([...m.traders.values()].map((t) => t.participantId));
  const events: { changeId: string; label: string }[] = [];
  const released = new Set<string>();
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDocumentClient().send(
      new ScanCommand({ TableName: local.stack.tableName, ExclusiveStartKey }),
    );
    for (const item of page.Items ?? []) {
      if (!String(item.pk).startsWith("OUTBOX#")) continue;
      if (item.kind === "release") released.add(String(item.changeId));
      if (item.kind !== "event" || item.event?.type !== "statement.issued") continue;
      const owner = String(item.event.recipient);
      if (!ids.has(owner)) continue;
      const { data } = JSON.parse(String(item.event.body)) as {
        data: { statementId: string; version: number };
      };
      events.push({
        changeId: String(item.changeId),
        label: `${owner}|${data.statementId}|${data.version}`,
      });
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  const counts = new Map<string, number>();
  for (const { changeId, label } of events)
    if (released.has(changeId)) counts.set(label, (counts.get(label) ?? 0) + 1);
  return counts;
}

const MONTHS: Month[] = [
  ["clean", "2027-04-12"],
  ["end", "2027-05-17"],
  ["mid", "2027-07-12"],
  ["aws", "2027-08-16"],
  ["always", "2027-09-13"],
].map(([name, date]) => ({
  name: name!,
  date: date!,
  scheme: `SF-${name}-${process.pid}`,
  traders: new Map(),
}));
const month = (name: string) => MONTHS.find((m) => m.name === name)!;
let cleanStatements: Item[] = [];

describe("fault injection at every step of the settlement run", () => {
  it("settles a clean month (the reference)", async () => {
    await dayAhead(MONTHS);
    const { run } = await settle(month("clean"), {});
    expect(run.status).toBe("completed");
    cleanStatements = await statementsOf(month("clean"));
    expect(cleanStatements.map((s) => `${s.participant} v${s.version}`)).toEqual([
      "g1 v1",
      "g4 v1",
      "g5 v1",
    ]);
    const events = await issuedEvents(month("clean"));
    expect([...events.values()]).toEqual([1, 1, 1]);
  }, 300_000);

  it("a crash after each step's writes, before it reports: the same statements, each issued once", async () => {
    const { run, applied } = await settle(
      month("end"),
      Object.fromEntries(STEPS.map((s) => [s, { kind: "end" as const }])),
    );
    expect(run.status).toBe("completed");
    for (const s of STEPS) expect(applied[s]!.crashes, s).toBe(1);
    expect(await statementsOf(month("end"))).toEqual(cleanStatements);
    expect([...(await issuedEvents(month("end"))).values()]).toEqual([1, 1, 1]);
  }, 180_000);

  it("a crash in the middle of each step's writes: the same statements, each issued once", async () => {
    const cleanRunId = settlementRunIdOf("2027-04", Date.parse(runAtOf("2027-04-12")));
    const writesOf = (state: string) =>
      [...firstWrites].find(([k]) => k.startsWith(`${cleanRunId}|${state}|`))?.[1] ?? 0;
    const faults = Object.fromEntries(
      STEPS.map((s) => [
        s,
        { kind: "mid" as const, crashAfter: Math.max(1, Math.ceil(writesOf(s) / 2)) },
      ]),
    );
    for (const s of STEPS) expect(writesOf(s), `${s} writes in the clean run`).toBeGreaterThan(0);
    const { run, applied } = await settle(month("mid"), faults);
    expect(run.status).toBe("completed");
    for (const s of STEPS) expect(applied[s]!.crashes, s).toBe(1);
    expect(await statementsOf(month("mid"))).toEqual(cleanStatements);
    expect([...(await issuedEvents(month("mid"))).values()]).toEqual([1, 1, 1]);
  }, 180_000);

  it("throttling, unprocessed items and transaction conflicts at every AWS call: the same statements", async () => {
    const { run } = await settle(
      month("aws"),
      Object.fromEntries(STEPS.map((s) => [s, { kind: "aws" as const }])),
    );
    expect(run.status).toBe("completed");
    expect(awsFaults.throttled).toBeGreaterThan(0);
    expect(await statementsOf(month("aws"))).toEqual(cleanStatements);
    expect([...(await issuedEvents(month("aws"))).values()]).toEqual([1, 1, 1]);
  }, 180_000);

  it("a step that keeps failing: the run fails visibly and issues nothing; the next run issues the month", async () => {
    const m = month("always");
    const { run } = await settle(m, { ComputeDayLines: { kind: "always" } });
    expect(run.status).toBe("failed");
    expect(run.failure).toMatchObject({ step: "ComputeDayLines", error: "InjectedCrash" });
    expect(run.statements).toEqual([]);
    expect(await statementsOf(m)).toEqual([]);
    expect((await issuedEvents(m)).size).toBe(0);
    // The next run, an hour later, with no fault.
    const later = new Date(Date.parse(runAtOf(m.date)) + 3_600_000).toISOString();
    at(later);
    const started = await local.api.expect(202, "POST", "/settlement-runs", {
      key: local.stack.keys.operator,
      body: { month: m.date.slice(0, 7) },
    });
    const done = await waitFor(
      () =>
        local.api.expect(200, "GET", `/settlement-runs/${started.settlementRunId}`, {
          key: local.stack.keys.operator,
        }),
      (r) => r.status !== "running",
      120_000,
      500,
    );
    expect(done.status).toBe("completed");
    expect(await statementsOf(m)).toEqual(cleanStatements);
    expect([...(await issuedEvents(m)).values()]).toEqual([1, 1, 1]);
  }, 240_000);
});
