import { recordInstant, toUtcIso } from "../model/settlement-periods";
import type { Cycle, CycleStatus, CycleStore, WorkflowInspector, WorkflowStarter } from "../ports";

/** What the workflow's states pass each other: ids only. */
export interface CycleRef {
  cycleId: string;
  gateClosureAt: string;
}

/**
 * The execution-naming rule (D-200): attempt n of a cycle's workflow is named `<cycleId>-<n>`,
 * unique per attempt, and the cycle records which attempt is its current execution. (A cycle
 * started before attempts were numbered has the execution named after the cycle alone: its
 * attempt 1.)
 */
export function executionNameOf(cycleId: string, attempt: number): string {
  return `${cycleId}-${attempt}`;
}

/** The statuses of a cycle whose workflow has not ended. */
export const LIVE_CYCLE_STATUSES: readonly CycleStatus[] = ["running", "markets-open"];

/**
 * D-200: starts the next attempt of a cycle's workflow under its own name and makes it the
 * cycle's current execution — the one rule for a first start and a resumed cycle. The attempt
 * is recorded conditionally on the cycle still being live; if it is not (superseded or ended
 * meanwhile), the execution just started is stopped again. Returns the cycle as recorded.
 */
export async function startNextAttempt(
  ports: { cycles: CycleStore; workflow: WorkflowStarter },
  cycle: Cycle,
): Promise<Cycle> {
  const attempt = (cycle.attempt ?? (cycle.executionArn === undefined ? 0 : 1)) + 1;
  const ref: CycleRef = { cycleId: cycle.cycleId, gateClosureAt: toUtcIso(cycle.gateClosureMs) };
  const executionArn = await ports.workflow.start(executionNameOf(cycle.cycleId, attempt), ref);
  if (
    await ports.cycles.updateCycle(cycle.cycleId, { attempt, executionArn }, [
      ...LIVE_CYCLE_STATUSES,
    ])
  )
    return { ...cycle, attempt, executionArn };
  await ports.workflow.stop(executionArn, `cycle ${cycle.cycleId} is no longer live`);
  return (await ports.cycles.getCycle(cycle.cycleId)) ?? cycle;
}

/** What resuming a cycle did. */
export type ResumeOutcome = "resumed" | "running" | "ended";

/**
 * Resume on start (api-post-trade.md "The local trial clock", D-201): a cycle whose workflow had
 * not ended when the stack stopped gets its next attempt. The tasks are idempotent, so the new
 * attempt runs the cycle from its first step and ends as a clean run would; a gate closure that
 * passed meanwhile ends the Wait at once and the markets are matched. A cycle whose current
 * execution still runs, or that is no longer live, is left as it is.
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
    const running = await ports.workflow
      .describe(cycle.executionArn)
      .then((summary) => summary.status === "RUNNING")
      .catch(() => false); // an execution the service no longer has has ended
    if (running) return { outcome: "running", cycle, at };
  }
  return { outcome: "resumed", cycle: await startNextAttempt(ports, cycle), at };
}
