import { hash } from "node:crypto";
import { ConflictError } from "../errors";
import { monthSettleableFromMs } from "../model/calendar";
import { deterministicId } from "../model/ids";
import { toUtcIso } from "../model/settlement-periods";
import { type SettlementLine, statementTotals } from "./lines";
import { compareLines, lineCells, STATEMENT_CSV_COLUMNS } from "./statement-csv";

/** One issued version of a participant's monthly statement (R-SETTLE-5/7): never changed. */
export interface Statement {
  statementId: string;
  participantId: string;
  month: string;
  version: number;
  issuedAtMs: number;
  settlementRunId: string;
  /** In R-SETTLE-8 order. */
  lines: SettlementLine[];
  payablePence: number;
  receivablePence: number;
  netPence: number;
}

/** A settlement run and the statement versions it left (R-SETTLE-7). */
export interface SettlementRun {
  settlementRunId: string;
  month: string;
  status: "completed";
  startedAtMs: number;
  finishedAtMs: number;
  statements: { statementId: string; participantId: string; version: number; changed: boolean }[];
}

/** A statement's id from its participant and month (D-1 style, D-70): the same for every version. */
export function statementIdOf(participantId: string, month: string): string {
  return deterministicId("stm", participantId, month);
}

/** A run's id from its month and start. */
export function settlementRunIdOf(month: string, startedAtMs: number): string {
  return deterministicId("srun", month, startedAtMs);
}

/**
 * R-SETTLE-7 (§19): a month is settleable once the meter deadline of its last day has passed for
 * every scheme with trades in it (00:00 local on the 6th of the next month by default); before,
 * 409 MONTH_NOT_SETTLEABLE. One run at a time per month: 409 SETTLEMENT_RUN_IN_PROGRESS.
 */
export function assertMonthSettleable(
  month: string,
  runAtMs: number,
  meterDataDeadlineDays: ReadonlyArray<number>,
  runInProgress = false,
): void {
  for (const n of meterDataDeadlineDays) {
    const from = monthSettleableFromMs(month, n);
    if (runAtMs < from)
      throw new ConflictError(
        "MONTH_NOT_SETTLEABLE",
        `${month} can be settled from ${toUtcIso(from)}, once its last meter deadline has passed.`,
      );
  }
  if (runInProgress)
    throw new ConflictError(
      "SETTLEMENT_RUN_IN_PROGRESS",
      `A settlement run for ${month} is running.`,
    );
}

/** R-SETTLE-7 (§19) comparable text of a statement's lines: every R-SETTLE-8 column but version. */
function linesKey(
  lines: ReadonlyArray<SettlementLine>,
  statementId: string,
  month: string,
): string {
  return [...lines]
    .sort(compareLines)
    .map((l) => {
      const cells = lineCells(l, { statementId, version: 0, month });
      return STATEMENT_CSV_COLUMNS.filter((c) => c !== "version")
        .map((c) => cells[c])
        .join("\u001f");
    })
    .join("\u001e");
}

/**
 * R-SETTLE-7 (§19, D-71): SHA-256 of a statement's lines as "lines differ" compares them — every
 * R-SETTLE-8 column but `version`, flags included, in R-SETTLE-8 order — so that a run can tell
 * whether a participant's lines changed from the stored hash of its latest version alone.
 */
export function statementLinesHash(
  lines: ReadonlyArray<SettlementLine>,
  statementId: string,
  month: string,
): string {
  return hash("sha256", linesKey(lines, statementId, month), "hex");
}

/**
 * R-SETTLE-5/7: the statements one run issues from the month's lines, recomputed from the inputs
 * held at its start: a participant's statement gets version n + 1 only if its lines differ from
 * version n (`latest`: each participant's latest issued version and its lines hash); one with no
 * lines and no earlier version gets none; one whose lines all went gets an empty version. Issued
 * versions are never changed. New versions and the run's summary come in participant order.
 */
export function issueStatements(input: {
  month: string;
  settlementRunId: string;
  issuedAtMs: number;
  lines: ReadonlyArray<SettlementLine>;
  latest: ReadonlyMap<string, { version: number; linesHash: string }>;
}): {
  statements: { statement: Statement; linesHash: string }[];
  summary: SettlementRun["statements"];
} {
  const { month } = input;
  const byParticipant = new Map<string, SettlementLine[]>();
  for (const l of input.lines) {
    const list = byParticipant.get(l.participantId) ?? [];
    list.push(l);
    byParticipant.set(l.participantId, list);
  }
  const participants = [...new Set([...byParticipant.keys(), ...input.latest.keys()])].sort();
  const statements: { statement: Statement; linesHash: string }[] = [];
  const summary: SettlementRun["statements"] = [];
  for (const participantId of participants) {
    const statementId = statementIdOf(participantId, month);
    const lines = [...(byParticipant.get(participantId) ?? [])].sort(compareLines);
    const previous = input.latest.get(participantId);
    const linesHash = statementLinesHash(lines, statementId, month);
    if (!previous || previous.linesHash !== linesHash) {
      const statement: Statement = {
        statementId,
        participantId,
        month,
        version: (previous?.version ?? 0) + 1,
        issuedAtMs: input.issuedAtMs,
        settlementRunId: input.settlementRunId,
        lines,
        ...statementTotals(lines),
      };
      statements.push({ statement, linesHash });
      summary.push({ statementId, participantId, version: statement.version, changed: true });
    } else summary.push({ statementId, participantId, version: previous.version, changed: false });
  }
  return { statements, summary };
}

/**
 * R-SETTLE-5/7: one run over every line of the month ({@link issueStatements}), against the
 * statements already issued. Returns the run and the new versions, in participant order.
 */
export function settleMonth(input: {
  month: string;
  startedAtMs: number;
  finishedAtMs: number;
  lines: ReadonlyArray<SettlementLine>;
  issued: ReadonlyArray<Statement>;
}): { run: SettlementRun; statements: Statement[] } {
  const { month } = input;
  const settlementRunId = settlementRunIdOf(month, input.startedAtMs);
  const latest = new Map<string, Statement>();
  for (const s of input.issued)
    if (s.month === month && (latest.get(s.participantId)?.version ?? 0) < s.version)
      latest.set(s.participantId, s);
  const out = issueStatements({
    month,
    settlementRunId,
    issuedAtMs: input.finishedAtMs,
    lines: input.lines,
    latest: new Map(
      [...latest].map(([p, s]) => [
        p,
        { version: s.version, linesHash: statementLinesHash(s.lines, s.statementId, month) },
      ]),
    ),
  });
  return {
    run: {
      settlementRunId,
      month,
      status: "completed",
      startedAtMs: input.startedAtMs,
      finishedAtMs: input.finishedAtMs,
      statements: out.summary,
    },
    statements: out.statements.map((s) => s.statement),
  };
}
