import type { Actor, Caller } from "../access/roles";
import { DEFAULT_POST_TRADE_CONFIG } from "../config/post-trade-config";
import { ConflictError, DomainError, NotFoundError } from "../errors";
import { statementIssuedEvent } from "../events/statement-events";
import { addDays, daysOfMonth, localDateOf, monthOf } from "../model/calendar";
import { deterministicId } from "../model/ids";
import { type Page, type PageRequest, pageOf } from "../model/paging";
import { dayContextOf } from "../performance/day-context";
import { dayPerformance } from "../performance/performance";
import type {
  SettlementStore,
  StatementHead,
  StoredSettlementRun,
  WorkflowInspector,
  WorkflowStarter,
} from "../ports";
import { dayLines } from "../settlement/lines";
import {
  assertMonthSettleable,
  issueStatements,
  type SettlementRun,
  type Statement,
  settlementRunIdOf,
} from "../settlement/settlement-run";
import {
  dayInputsOf,
  type PostTradeInputPorts,
  postTradeConfigFor,
  publishedDayOf,
  publishedSchemeDays,
  schemeDayKey,
  schemeDayOf,
} from "./post-trade-day";
import { statementDetailView, statementView, storedSettlementRunView } from "./post-trade-views";

/**
 * Monthly settlement (R-SETTLE-7) as a workflow: `POST /settlement-runs` (or the schedule)
 * starts a run; PrepareRun lists the month's scheme-days, ComputeDayLines (a Map over them)
 * stages each day's lines under the run, IssueStatements stages the statement versions whose
 * lines changed with their `statement.issued` events, CompleteRun makes them visible at once.
 * Steps pass ids only and each is idempotent; a run that fails (MarkRunFailed) issues nothing.
 */
export interface SettlementPorts extends PostTradeInputPorts {
  clock: { nowMs(): number };
  settlement: SettlementStore;
  settlementWorkflow: WorkflowStarter & Pick<WorkflowInspector, "describe">;
}

/** A workflow step met a run it cannot continue (gone, or no longer running): not retried. */
export class SettlementRunStateError extends DomainError {
  constructor(message: string) {
    super("SETTLEMENT_RUN_STATE", message);
    this.name = "SettlementRunStateError";
  }
}

/** The day lines a run needs are not all staged yet (a Map iteration missing): retried. */
export class SettlementLinesMissingError extends DomainError {
  constructor(days: string[]) {
    super("SETTLEMENT_LINES_MISSING", `No lines are staged yet for ${days.join(", ")}.`);
    this.name = "SettlementLinesMissingError";
  }
}

/** Who starts the month's run when the schedule does (D-227). */
export const SCHEDULE_ACTOR: Actor = { role: "operator", principalId: "settlement-schedule" };

/** The meter deadline settings of the schemes with days in the month (§19 R-SETTLE-7). */
async function deadlinesOf(ports: SettlementPorts, month: string): Promise<number[]> {
  const days = await publishedSchemeDays(ports, daysOfMonth(month));
  const deadlines = new Set<number>();
  for (const day of days)
    deadlines.add((await postTradeConfigFor(ports, day)).meterDataDeadlineDays);
  return deadlines.size > 0 ? [...deadlines] : [DEFAULT_POST_TRADE_CONFIG.meterDataDeadlineDays];
}

/** True while a run's workflow execution is still going (or could not be looked up). */
async function stillRunning(ports: SettlementPorts, run: StoredSettlementRun): Promise<boolean> {
  if (!run.executionArn) return true;
  try {
    // D-152: an execution the service does not have is not running.
    return (await ports.settlementWorkflow.describe(run.executionArn))?.status === "RUNNING";
  } catch {
    return true;
  }
}

/**
 * `POST /settlement-runs` (operator) and the schedule: R-SETTLE-7 — once the month's last meter
 * deadline has passed for every scheme with days in it (409 MONTH_NOT_SETTLEABLE), one run at a
 * time per month (409 SETTLEMENT_RUN_IN_PROGRESS; a run whose execution ended without ending the
 * run is marked failed first, D-226). Creates the run, takes the month's lock and starts the
 * workflow named by the run id.
 */
export async function startSettlementRun(
  ports: SettlementPorts,
  actor: Actor,
  month: string,
  nowMs: number,
) {
  assertMonthSettleable(month, nowMs, await deadlinesOf(ports, month));
  for (const run of await ports.settlement.runsOfMonth(month))
    if (run.status === "running") {
      if (await stillRunning(ports, run)) assertMonthSettleable(month, nowMs, [], true);
      await ports.settlement.end(
        run.settlementRunId,
        {
          status: "failed",
          failure: {
            step: run.step ?? "unknown",
            error: "ExecutionEnded",
            cause: "the run's workflow execution ended without ending the run",
          },
        },
        runAudit(run.settlementRunId, "settlement-run.failed", actor, nowMs),
      );
    }
  const settlementRunId = settlementRunIdOf(month, nowMs);
  const run: StoredSettlementRun = {
    settlementRunId,
    month,
    status: "running",
    startedAtMs: nowMs,
    requestedBy: { role: actor.role, principalId: actor.principalId },
  };
  const { holder } = await ports.settlement.begin(
    run,
    runAudit(settlementRunId, "settlement-run.started", actor, nowMs),
  );
  if (holder !== undefined) assertMonthSettleable(month, nowMs, [], true);
  let executionArn: string;
  try {
    const started = await ports.settlementWorkflow.start(settlementRunId, { settlementRunId });
    // D-132: an execution of this name that is not this start is never adopted.
    if (started === undefined)
      throw new Error(`an execution named ${settlementRunId} exists already`);
    executionArn = started;
  } catch (error) {
    await ports.settlement.end(
      settlementRunId,
      {
        status: "failed",
        failure: { step: "Start", error: "StartFailed", cause: "the workflow did not start" },
      },
      runAudit(settlementRunId, "settlement-run.failed", actor, nowMs),
    );
    throw error;
  }
  await ports.settlement.updateRunning(settlementRunId, { executionArn });
  return storedSettlementRunView(run);
}

/** The run's states as its audit records name them (D-294: from what, to what). */
const RUN_TRANSITIONS: Record<string, { from?: string; to: string }> = {
  "settlement-run.started": { to: "running" },
  "settlement-run.completed": { from: "running", to: "completed" },
  "settlement-run.failed": { from: "running", to: "failed" },
};

function runAudit(settlementRunId: string, action: string, actor: Actor, atMs: number) {
  return {
    recordId: deterministicId("aud", settlementRunId, action),
    subject: settlementRunId,
    action,
    actor: {
      role: actor.role,
      principalId: actor.principalId,
      ...(actor.keyId ? { keyId: actor.keyId } : {}),
    },
    at: new Date(atMs).toISOString(),
    ...RUN_TRANSITIONS[action],
  };
}

/** The run a step works on: it must exist and still be running. Records the step (progress). */
async function runningRun(
  ports: SettlementPorts,
  settlementRunId: string,
  step: string,
): Promise<StoredSettlementRun> {
  const run = await ports.settlement.get(settlementRunId);
  if (!run) throw new SettlementRunStateError(`settlement run ${settlementRunId} does not exist`);
  if (run.status !== "running")
    throw new SettlementRunStateError(`settlement run ${settlementRunId} is ${run.status}`);
  if (run.step !== step) await ports.settlement.updateRunning(settlementRunId, { step });
  return run;
}

/** PrepareRun: the month's scheme-days with a published day-ahead, kept on the run. */
export async function prepareRunStep(
  ports: SettlementPorts,
  settlementRunId: string,
): Promise<{ days: string[] }> {
  const run = await runningRun(ports, settlementRunId, "PrepareRun");
  if (run.days) return { days: run.days };
  const days = (await publishedSchemeDays(ports, daysOfMonth(run.month))).map(schemeDayKey);
  await ports.settlement.updateRunning(settlementRunId, { days });
  return { days };
}

/**
 * ComputeDayLines (one scheme-day): R-PERF and R-SETTLE-1..6 over the inputs held at the run's
 * start, the same core functions as the offline simulation; the lines are staged under the run.
 */
export async function computeDayLinesStep(
  ports: SettlementPorts,
  settlementRunId: string,
  dayKey: string,
): Promise<{ lines: number }> {
  const run = await runningRun(ports, settlementRunId, "ComputeDayLines");
  const published = await publishedDayOf(ports, schemeDayOf(dayKey));
  if (!published) {
    await ports.settlement.putDayLines(settlementRunId, dayKey, []);
    return { lines: 0 };
  }
  const inputs = await dayInputsOf(ports, published.day, run.startedAtMs);
  const lines = dayLines(dayPerformance(dayContextOf(inputs)), published.day.owners, inputs.config);
  await ports.settlement.putDayLines(settlementRunId, dayKey, lines);
  return { lines: lines.length };
}

/** Each participant's latest issued version of the month (runs completed before `before`). */
function latestIssued(
  heads: ReadonlyArray<StatementHead>,
  runs: ReadonlyArray<StoredSettlementRun>,
  upTo?: StoredSettlementRun,
): Map<string, StatementHead> {
  const completed = new Map(
    runs
      .filter(
        (r) =>
          r.status === "completed" && (upTo === undefined || r.startedAtMs <= upTo.startedAtMs),
      )
      .map((r) => [r.settlementRunId, r]),
  );
  const latest = new Map<string, StatementHead>();
  for (const h of heads)
    if (completed.has(h.settlementRunId) && (latest.get(h.participantId)?.version ?? 0) < h.version)
      latest.set(h.participantId, h);
  return latest;
}

/**
 * IssueStatements: R-SETTLE-5/7 over every staged line of the run. Its `finishedAt` (the
 * statements' `issuedAt`) is fixed on first entry, so a retried step issues the same; the new
 * versions are staged with their `statement.issued` events (deterministic event ids, R-NOTIFY-3)
 * and audit records, all conditional.
 */
export async function issueStatementsStep(
  ports: SettlementPorts,
  settlementRunId: string,
): Promise<{ issued: number }> {
  let run = await runningRun(ports, settlementRunId, "IssueStatements");
  if (run.finishedAtMs === undefined) {
    await ports.settlement.updateRunning(settlementRunId, { finishedAtMs: ports.clock.nowMs() });
    run = (await ports.settlement.get(settlementRunId))!;
  }
  const issuedAtMs = run.finishedAtMs!;
  const { days, lines } = await ports.settlement.dayLines(settlementRunId);
  const missing = (run.days ?? []).filter((d) => !days.includes(d));
  if (missing.length > 0) throw new SettlementLinesMissingError(missing);
  const [heads, runs] = await Promise.all([
    ports.settlement.headsOfMonth(run.month),
    ports.settlement.runsOfMonth(run.month),
  ]);
  const latest = latestIssued(heads, runs);
  const { statements } = issueStatements({
    month: run.month,
    settlementRunId,
    issuedAtMs,
    lines,
    latest: new Map(
      [...latest].map(([p, h]) => [p, { version: h.version, linesHash: h.linesHash }]),
    ),
  });
  await ports.settlement.stage(
    statements,
    statements.map((s) => statementIssuedEvent(s.statement)),
    statements.map(({ statement: s }) => ({
      recordId: deterministicId("aud", s.statementId, s.version, settlementRunId),
      subject: s.statementId,
      action: "statement.issued",
      actor: run.requestedBy,
      at: new Date(issuedAtMs).toISOString(),
      to: `v${s.version}`,
    })),
  );
  return { issued: statements.length };
}

/** CompleteRun: the run is `completed` and its statements visible, its month's lock released. */
export async function completeRunStep(ports: SettlementPorts, settlementRunId: string) {
  const run = await ports.settlement.get(settlementRunId);
  if (!run) throw new SettlementRunStateError(`settlement run ${settlementRunId} does not exist`);
  if (run.status === "completed") return;
  if (run.status !== "running" || run.finishedAtMs === undefined)
    throw new SettlementRunStateError(`settlement run ${settlementRunId} cannot complete`);
  await ports.settlement.end(
    settlementRunId,
    { status: "completed", finishedAtMs: run.finishedAtMs },
    runAudit(settlementRunId, "settlement-run.completed", run.requestedBy, run.finishedAtMs),
  );
}

/** Lambda's error document in a Catch `Cause`, as the operator reads it (first line, bounded). */
function causeText(cause: string | undefined): string {
  if (!cause) return "";
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === "string")
      return parsed.errorMessage.split("\n")[0]!.slice(0, 500);
  } catch {
    // plain text
  }
  return cause.split("\n")[0]!.slice(0, 500);
}

/** MarkRunFailed: the run is `failed` with the step, error and cause; nothing of it is visible. */
export async function markRunFailedStep(
  ports: SettlementPorts,
  settlementRunId: string,
  error: { Error: string; Cause?: string } | undefined,
) {
  const run = await ports.settlement.get(settlementRunId);
  if (run?.status !== "running") return;
  await ports.settlement.end(
    settlementRunId,
    {
      status: "failed",
      failure: {
        step: run.step ?? "unknown",
        error: error?.Error ?? "Unknown",
        cause: causeText(error?.Cause),
      },
    },
    runAudit(settlementRunId, "settlement-run.failed", run.requestedBy, ports.clock.nowMs()),
  );
}

/**
 * The schedule (D-227): once the previous month (Europe/London) is settleable and has days with
 * a published day-ahead but no run yet, its first run is started; otherwise nothing happens.
 */
export async function scheduledSettlement(
  ports: SettlementPorts,
  nowMs: number,
): Promise<{ started?: string }> {
  const today = localDateOf(nowMs);
  const month = monthOf(addDays(`${today.slice(0, 7)}-01`, -1));
  try {
    assertMonthSettleable(month, nowMs, await deadlinesOf(ports, month));
  } catch (error) {
    if (error instanceof ConflictError) return {};
    throw error;
  }
  if ((await ports.settlement.runsOfMonth(month)).length > 0) return {};
  if ((await publishedSchemeDays(ports, daysOfMonth(month))).length === 0) return {};
  try {
    const run = await startSettlementRun(ports, SCHEDULE_ACTOR, month, nowMs);
    return { started: run.settlementRunId };
  } catch (error) {
    if (error instanceof ConflictError) return {};
    throw error;
  }
}

// ── Reads ─────────────────────────────────────────────────────────────────────────────────────

/**
 * A run's statements summary (R-SETTLE-7 `statements`): each participant with a version issued
 * by this run or an earlier completed one, its version as of this run and whether this run
 * changed it; derived from the stored heads, so a run item never grows with the scheme.
 */
function runSummary(
  run: StoredSettlementRun,
  runs: ReadonlyArray<StoredSettlementRun>,
  heads: ReadonlyArray<StatementHead>,
): SettlementRun["statements"] {
  if (run.status !== "completed") return [];
  return [...latestIssued(heads, runs, run).values()]
    .sort((a, b) => (a.participantId < b.participantId ? -1 : 1))
    .map((h) => ({
      statementId: h.statementId,
      participantId: h.participantId,
      version: h.version,
      changed: h.settlementRunId === run.settlementRunId,
    }));
}

async function runViews(ports: SettlementPorts, month: string) {
  const [runs, heads] = await Promise.all([
    ports.settlement.runsOfMonth(month),
    ports.settlement.headsOfMonth(month),
  ]);
  return runs.map((r) => ({
    run: r,
    view: storedSettlementRunView({ ...r, statements: runSummary(r, runs, heads) }),
  }));
}

/** `GET /settlement-runs?month=` (operator): the month's runs, oldest first. */
export async function listSettlementRuns(
  ports: SettlementPorts,
  month: string,
  page: PageRequest,
): Promise<Page<ReturnType<typeof storedSettlementRunView>>> {
  const views = await runViews(ports, month);
  return pageOf(
    views.map((v) => v.view),
    page,
    {
      list: "settlement-runs",
      scope: month,
      keyTypes: ["string", "string"],
      keyOf: (v) => [v.startedAt, v.settlementRunId],
    },
  );
}

/** `GET /settlement-runs/{id}` (operator), with its failure when it failed. */
export async function getSettlementRun(ports: SettlementPorts, settlementRunId: string) {
  const run = await ports.settlement.get(settlementRunId);
  if (!run) throw new NotFoundError(`Settlement run ${settlementRunId}`);
  const found = (await runViews(ports, run.month)).find(
    (v) => v.run.settlementRunId === settlementRunId,
  );
  return found?.view ?? storedSettlementRunView(run);
}

/** The month's issued versions a caller may read (participant: its own). */
async function visibleHeads(ports: SettlementPorts, caller: Caller, month: string) {
  const [runs, heads] = await Promise.all([
    ports.settlement.runsOfMonth(month),
    ports.settlement.headsOfMonth(month),
  ]);
  const completed = new Set(
    runs.filter((r) => r.status === "completed").map((r) => r.settlementRunId),
  );
  return heads.filter(
    (h) =>
      completed.has(h.settlementRunId) &&
      (caller.role !== "participant" || h.participantId === caller.principalId),
  );
}

/** `GET /statements?month=` (participant: own; operator: all): the latest version of each. */
export async function listStatements(
  ports: SettlementPorts,
  caller: Caller,
  month: string,
  page: PageRequest,
) {
  const latest = new Map<string, StatementHead>();
  for (const h of await visibleHeads(ports, caller, month))
    if ((latest.get(h.statementId)?.version ?? 0) < h.version) latest.set(h.statementId, h);
  return pageOf([...latest.values()].map(statementView), page, {
    list: "statements",
    scope: month,
    keyTypes: ["string", "string"],
    keyOf: (s) => [s.issuedAt, s.statementId],
  });
}

/**
 * `GET /statements/{id}?version=` (its participant; operator): one issued version (default the
 * latest) with its lines; another's statement, an unknown one or an unknown version: 404.
 */
export async function getStatement(
  ports: SettlementPorts,
  caller: Caller,
  statementId: string,
  version: number | undefined,
): Promise<{ statement: Statement; view: ReturnType<typeof statementDetailView> }> {
  const heads = await ports.settlement.headsOf(statementId);
  const month = heads[0]?.month;
  const runs = month === undefined ? [] : await ports.settlement.runsOfMonth(month);
  const completed = new Set(
    runs.filter((r) => r.status === "completed").map((r) => r.settlementRunId),
  );
  const head = heads
    .filter(
      (h) =>
        completed.has(h.settlementRunId) &&
        (caller.role !== "participant" || h.participantId === caller.principalId) &&
        (version === undefined || h.version === version),
    )
    .sort((a, b) => b.version - a.version)[0];
  if (!head) throw new NotFoundError(`Statement ${statementId}${version ? ` v${version}` : ""}`);
  const { linesHash: _h, lineCount: _c, ...rest } = head;
  const statement: Statement = { ...rest, lines: await ports.settlement.linesOf(head) };
  return { statement, view: statementDetailView(statement) };
}
