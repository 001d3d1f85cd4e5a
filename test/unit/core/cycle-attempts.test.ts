import { beforeEach, describe, expect, it } from "vitest";
import type { Cycle } from "../../../functions/core/ports";
import {
  executionNameOf,
  resumeCycle,
  startNextAttempt,
} from "../../../functions/core/use-cases/cycle-attempts";
import { type FakePorts, fakePorts } from "../../support/fakes";

/**
 * D-132's one rule for execution names per attempt, and D-201's resume built on it, on the fakes:
 * the next attempt after the recorded one, a name already taken is never adopted, a cycle whose
 * execution still runs or that has ended is left as it is.
 */
const CYCLE_ID = "cyc-0123456789abcdef0123";
const arnOf = (name: string) => `arn:aws:states:eu-west-2:000000000000:execution:fake:${name}`;

let ports: FakePorts;

function stored(overrides: Partial<Cycle> = {}): Cycle {
  const cycle: Cycle = {
    cycleId: CYCLE_ID,
    lookAheadId: "LA-1",
    anmSchemeId: "SCH-1",
    deliveryDate: "2027-06-14",
    status: "markets-open",
    gateClosureMs: Date.parse("2027-06-13T11:00:00Z"),
    bodyHash: "0".repeat(64),
    createdAtMs: Date.parse("2027-06-13T08:00:00Z"),
    ...overrides,
  };
  ports.cycles.cycles.set(CYCLE_ID, cycle);
  return cycle;
}

beforeEach(() => {
  ports = fakePorts();
});

describe("startNextAttempt (D-132)", () => {
  it("starts attempt 1 of a cycle that has none, under <cycleId>-1, and records it", async () => {
    const cycle = await startNextAttempt(ports, stored());
    expect(cycle).toMatchObject({ attempt: 1, executionArn: arnOf(`${CYCLE_ID}-1`) });
    expect(ports.cycles.cycles.get(CYCLE_ID)).toMatchObject({ attempt: 1 });
    expect(executionNameOf(CYCLE_ID, 1)).toBe(`${CYCLE_ID}-1`);
  });

  it("never adopts a name an ended execution holds: the next number is tried", async () => {
    ports.workflow.ended.add(`${CYCLE_ID}-2`);
    const cycle = await startNextAttempt(
      ports,
      stored({ attempt: 1, executionArn: arnOf(`${CYCLE_ID}-1`) }),
    );
    expect(cycle).toMatchObject({ attempt: 3, executionArn: arnOf(`${CYCLE_ID}-3`) });
  });

  it("stops the execution it started when the cycle is no longer live", async () => {
    const cycle = await startNextAttempt(ports, stored({ status: "published" }));
    expect(cycle.attempt).toBeUndefined();
    expect(ports.workflow.stopped).toEqual([arnOf(`${CYCLE_ID}-1`)]);
  });
});

describe("resumeCycle (D-201, on D-132)", () => {
  it("gives a live cycle whose execution has ended its next attempt", async () => {
    stored({ attempt: 1, executionArn: arnOf(`${CYCLE_ID}-1`) });
    await ports.workflow.stop(arnOf(`${CYCLE_ID}-1`));
    const { outcome, cycle } = await resumeCycle(ports, CYCLE_ID);
    expect(outcome).toBe("resumed");
    expect(cycle).toMatchObject({ attempt: 2, executionArn: arnOf(`${CYCLE_ID}-2`) });
    expect(ports.cycles.cycles.get(CYCLE_ID)?.attempt).toBe(2);
  });

  it("resumes a cycle whose execution the service no longer has (D-152)", async () => {
    stored({ attempt: 1, executionArn: arnOf(`${CYCLE_ID}-1`) });
    ports.workflow.describe = async () => undefined as never;
    expect((await resumeCycle(ports, CYCLE_ID)).cycle?.attempt).toBe(2);
  });

  it("leaves a cycle whose execution still runs, and one that has ended", async () => {
    stored({ attempt: 1, executionArn: arnOf(`${CYCLE_ID}-1`) });
    expect((await resumeCycle(ports, CYCLE_ID)).outcome).toBe("running");
    stored({ status: "published", attempt: 1, executionArn: arnOf(`${CYCLE_ID}-1`) });
    await ports.workflow.stop(arnOf(`${CYCLE_ID}-1`));
    expect((await resumeCycle(ports, CYCLE_ID)).outcome).toBe("ended");
    expect((await resumeCycle(ports, "cyc-ffffffffffffffffffff")).outcome).toBe("ended");
    expect(ports.cycles.cycles.get(CYCLE_ID)?.attempt).toBe(1);
  });
});
