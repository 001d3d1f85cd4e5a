import type { ExecutionEvent } from "./api/types";

/**
 * A Step Functions execution history as a timeline: each state entered, with when it exited
 * (if it has) and any failure reported while it ran. Pure, so it is easy to check.
 */
export interface TimelineStep {
  readonly state: string;
  /** "Task", "Wait", "Choice", … from the event type. */
  readonly kind: string;
  readonly enteredAt: string;
  readonly exitedAt?: string | undefined;
  readonly error?: string | undefined;
  readonly cause?: string | undefined;
}

export function timelineOf(events: readonly ExecutionEvent[]): TimelineStep[] {
  const steps: Array<{ -readonly [K in keyof TimelineStep]: TimelineStep[K] }> = [];
  for (const event of events) {
    const entered = /^(\w+?)StateEntered$/.exec(event.type);
    if (entered && event.state) {
      steps.push({ state: event.state, kind: entered[1]!, enteredAt: event.at });
      continue;
    }
    const exited = /^(\w+?)StateExited$/.exec(event.type);
    if (exited && event.state) {
      const open = [...steps].reverse().find((s) => s.state === event.state && !s.exitedAt);
      if (open) open.exitedAt = event.at;
      continue;
    }
    if (event.error || event.cause) {
      const current = [...steps].reverse().find((s) => !s.exitedAt) ?? steps[steps.length - 1];
      if (current) {
        current.error ??= event.error;
        current.cause ??= event.cause;
      }
    }
  }
  return steps;
}
