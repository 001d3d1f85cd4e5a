import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LookAheadInvalidError } from "../../../functions/core/errors";
import {
  checkGateClosureNotPast,
  gateClosureMsOf,
  type LookAheadBody,
  MAX_LEAD_TIME_MS,
} from "../../../functions/core/model/look-ahead";
import { DAY_AHEAD_CYCLE } from "../../../functions/workflow/workflows";
import { REPO_ROOT } from "../../../lib/repo-root";

/**
 * D-133: for every lead time the API accepts, gate closure − receive time + the worst case of
 * the workflow's states stays below the workflow's timeout, so a cycle can never time out
 * waiting for its gate closure. The worst case is read from the ASL itself: every Task at its
 * timeout on every attempt its retriers allow, with the longest backoff between attempts, and
 * every fixed Wait — an upper bound of any path through the machine, the gate-closure wait aside.
 */
interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
}
interface State {
  Type: string;
  TimeoutSeconds?: number;
  Retry?: Retrier[];
  Seconds?: number;
  TimestampPath?: string;
}

const asl = JSON.parse(
  readFileSync(resolve(REPO_ROOT, DAY_AHEAD_CYCLE.definitionFile), "utf8"),
) as {
  TimeoutSeconds: number;
  States: Record<string, State>;
};

/** One Task's worst case in seconds: every attempt at its timeout, and the longest backoffs. */
function taskWorstCase(state: State): number {
  const timeout = state.TimeoutSeconds ?? 99_999_999;
  let attempts = 1;
  let waits = 0;
  for (const retrier of state.Retry ?? []) {
    const max = retrier.MaxAttempts ?? 3;
    attempts += max;
    for (let n = 0; n < max; n += 1) {
      const delay = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** n;
      waits += Math.min(delay, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY);
    }
  }
  return attempts * timeout + waits;
}

function worstCaseSeconds(): number {
  let total = 0;
  for (const state of Object.values(asl.States)) {
    if (state.Type === "Task") total += taskWorstCase(state);
    else if (state.Type === "Wait" && state.Seconds !== undefined) total += state.Seconds;
    else if (state.Type === "Wait" && state.TimestampPath === undefined)
      throw new Error("a Wait state the bound does not know");
  }
  return total;
}

describe("D-133 the lead-time bound", () => {
  it("every Task has a timeout (an unbounded Task would make the bound meaningless)", () => {
    for (const [name, state] of Object.entries(asl.States))
      if (state.Type === "Task") expect(state.TimeoutSeconds, name).toBeGreaterThan(0);
  });

  it("the longest accepted lead time plus the states' worst case stays below the workflow timeout", () => {
    const worst = worstCaseSeconds();
    expect(worst).toBeGreaterThan(0);
    expect(MAX_LEAD_TIME_MS / 1000 + worst).toBeLessThan(asl.TimeoutSeconds);
  });

  const body = (gateClosureAt: string) =>
    ({ deliveryDate: "2027-06-14", gateClosureAt }) as unknown as LookAheadBody;

  it("accepts a lead time of exactly the limit and refuses 1 ms more, naming gateClosureAt", () => {
    const lookAhead = body("2027-06-13T11:00:00.000Z");
    const gate = gateClosureMsOf(lookAhead);
    expect(() => checkGateClosureNotPast(lookAhead, gate - MAX_LEAD_TIME_MS)).not.toThrow();
    let refusal: unknown;
    try {
      checkGateClosureNotPast(lookAhead, gate - MAX_LEAD_TIME_MS - 1);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(LookAheadInvalidError);
    expect((refusal as LookAheadInvalidError).errors.map((e) => e.path)).toEqual(["gateClosureAt"]);
  });

  it("the default gate closure of a Friday morning look-ahead for Monday is within the limit", () => {
    // Friday 2027-06-11 08:00 London; Monday's default gate closure is Sunday 12:00 London.
    const lookAhead = { deliveryDate: "2027-06-14" } as unknown as LookAheadBody;
    expect(() =>
      checkGateClosureNotPast(lookAhead, Date.parse("2027-06-11T07:00:00Z")),
    ).not.toThrow();
  });
});
