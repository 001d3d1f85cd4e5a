import type { Alerts } from "../ports";
import { attemptOfExecutionName } from "./cycle-attempts";
import { type CyclePorts, markFailedStep, publishOriginalStep } from "./cycle-steps";

/** An execution of the day-ahead cycle that ended without publishing (D-134). */
export interface ExecutionEnd {
  readonly executionArn: string;
  readonly name: string;
  readonly status: "FAILED" | "TIMED_OUT" | "ABORTED";
  readonly error?: string | undefined;
  readonly cause?: string | undefined;
}

export type ExecutionEndOutcome =
  /** Not a cycle's current execution (an older attempt, a test workflow): nothing to do. */
  | "ignored"
  /** The cycle was superseded: its successor publishes for the day, so no fallback, no alert. */
  | "superseded"
  /** The cycle had already published: nothing to do. */
  | "published"
  /** The original MOL is published as the fallback and the cycle is failed; the operator alerted. */
  | "fell-back";

const STEP = "CycleExecutionEnded";

/**
 * §10 for failures the workflow cannot catch itself (D-134): a top-level timeout, a stop, or a
 * failure. When the ended execution is its cycle's current one and the cycle is still the day's
 * current cycle, the original MOL is published as the fallback (fenced, so an aborted
 * superseded cycle never publishes over its successor), the cycle is marked `failed` with the
 * reason, and the operator is alerted on the alarm topic. Idempotent: a FAILED execution whose
 * Catch already published the fallback and marked the cycle only raises the alert.
 */
export async function cycleExecutionEnded(
  ports: CyclePorts & { alerts: Alerts },
  end: ExecutionEnd,
): Promise<ExecutionEndOutcome> {
  const attempt = attemptOfExecutionName(end.name);
  if (!attempt) return "ignored";
  const cycle = await ports.cycles.getCycle(attempt.cycleId);
  if (!cycle || cycle.executionArn !== end.executionArn) return "ignored";
  if (cycle.status === "superseded") return "superseded";
  if (cycle.status === "published") return "published";
  await publishOriginalStep(ports, cycle.cycleId, STEP);
  const error = end.error || `States.${end.status === "TIMED_OUT" ? "Timeout" : end.status}`;
  await markFailedStep(ports, cycle.cycleId, { Error: error, Cause: end.cause ?? "" }, STEP);
  const after = await ports.cycles.getCycle(cycle.cycleId);
  if (after?.status !== "failed") return after?.status === "superseded" ? "superseded" : "ignored";
  await ports.alerts.alert(
    `BiTraDER: day-ahead cycle ${cycle.cycleId} ${end.status.toLowerCase().replace("_", " ")}`,
    {
      cycleId: cycle.cycleId,
      anmSchemeId: cycle.anmSchemeId,
      deliveryDate: cycle.deliveryDate,
      executionArn: end.executionArn,
      status: end.status,
      failure: after.failure,
      fallback: "the original MOL was published for every constraint of the look-ahead",
    },
  );
  return "fell-back";
}
