import { recordInstant, toUtcIso } from "../model/settlement-periods";
import type { Cycle, CycleStatus, CycleStore, WorkflowInspector, WorkflowStarter } from "../ports";

/** What the workflow's states pass each other: ids only. */
export interface CycleRef {
  cycleId: string;
  gateClosureAt: string;
}

/**
 * D-132: an attempt's execution name, `<cycleId>-<attempt>` (unique per attempt). (A cycle
 * started before attempts were numbered has its execution named after the cycle alone and no
 * recorded attempt: its next attempt is 1, a name that execution does not hold.)
 */
export function executionNameOf(cycleId: string, attempt: number): string {
  return `${cycleId}-${attempt}`;
}

/** The cycle an execution name belongs to, and its attempt; undefined if it is not one of ours. */
export function attemptOfExecutionName(
  name: string,
): { cycleId: string; attempt: number } | undefined {
  const match = /^(cyc-[0-9a-f]+)-([1-9][0-9]*)$/.exec(name);
  return match ? { cycleId: match[1]!, attempt: Number(match[2]) } : undefined;
}

/** The statuses of a cycle whose workflow has not ended. */
export const LIVE_CYCLE_STATUSES: readonly CycleStatus[] = ["running", "markets-open"];

/** Names tried before giving up: each one taken means an execution of that name exists. */
const MAX_NAMES_TRIED = 20;

/**
 * D-132: starts the next attempt of a cycle's workflow and makes it the cycle's current
 * execution — the one rule for a first start, a start after a table restore, and a resumed
 * cycle. The attempt after the cycle's recorded one is started under its own name; a name
 * already used by an execution that is not this very start (an ended execution, e.g. one from
 * before a restore) is never adopted: the next number is tried. The new execution is then
 * recorded on the cycle, conditionally on the cycle still being live and its attempt unchanged.
 * If the cycle was superseded (or another attempt recorded) meanwhile, the execution just
 * started is stopped again, so a superseded cycle never keeps a running execution.
 *
 * Racing calls for the same attempt start the same execution (same name and input) and record
 * it once. Returns the cycle as recorded.
 */
export async function startNextAttempt(
  ports: { cycles: CycleStore; workflow: WorkflowStarter },
  cycle: Cycle,
): Promise<Cycle> {
  const ref: CycleRef = { cycleId: cycle.cycleId, gateClosureAt: toUtcIso(cycle.gateClosureMs) };
  const previous = cycle.attempt;
  let attempt = (previous ?? 0) + 1;
  for (let tried = 0; tried < MAX_NAMES_TRIED; tried += 1, attempt += 1) {
    const executionArn = await ports.workflow.start(executionNameOf(cycle.cycleId, attempt), ref);
    if (executionArn === undefined) continue;
    if (await ports.cycles.recordAttempt(cycle.cycleId, { attempt, executionArn }, previous))
      return { ...cycle, attempt, executionArn };
    const now = await ports.cycles.getCycle(cycle.cycleId);
    if (now?.executionArn === executionArn) return now;
    await ports.workflow.stop(
      executionArn,
      now?.status === "superseded"
        ? `cycle ${cycle.cycleId} was superseded by ${now.supersededBy}`
        : `cycle ${cycle.cycleId} has another current execution`,
    );
    return now ?? cycle;
  }
  throw new Error(`no free execution name for cycle ${cycle.cycleId}`);
}

/** What resuming a cycle did. */
export type ResumeOutcome = "resumed" | "running" | "ended";

/**
 * Resume on start (D-201, on D-132's rule): a cycle whose workflow had not ended when the stack
 * stopped gets its next attempt through {@link startNextAttempt}. The tasks are idempotent, so
 * the new attempt runs the cycle from its first step and ends as a clean run would; a gate
 * closure that passed meanwhile ends the Wait at once and the markets are matched. A cycle whose
 * current execution still runs, or that is no longer live, is left as it is.
 */
export async function resumeCycle(
  ports: {
    clock: { nowMs(): number };
    cycles: CycleStore;
    workflow: WorkflowStarter & WorkflowInspector;
  },
  cycleId: string,
): Promise<{ outcome: ResumeOutcome; cycle?: Cycle; at: string }> {
  const at = recordInstant(ports.clock.nowMs());
  const cycle = await ports.cycles.getCycle(cycleId);
  if (cycle === undefined || !LIVE_CYCLE_STATUSES.includes(cycle.status))
    return { outcome: "ended", at };
  if (cycle.executionArn !== undefined) {
    // Undefined (D-152) or a failed read: an execution the service no longer has has ended.
    const summary = await ports.workflow.describe(cycle.executionArn).catch(() => undefined);
    if (summary?.status === "RUNNING") return { outcome: "running", cycle, at };
  }
  return { outcome: "resumed", cycle: await startNextAttempt(ports, cycle), at };
}
