import { describe, expect, it } from "vitest";
import { waitFor } from "../../lib/client/api-client";
import { useLocalStack } from "../support/use-local-stack";
import { workedExample } from "../support/worked-example";

/**
 * D-133, D-134: a workflow timeout cannot be caught inside the workflow. With the day-ahead
 * cycle's timeout overridden to 8 s and gate closure 40 s ahead, the execution times out in
 * WaitForGateClosure; the CycleExecutionEnded consumer, called with the execution-status event,
 * publishes the original MOL, marks the cycle failed and alerts the operator on the alarm topic.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const local = useLocalStack({ workflowTimeoutOverrides: { DayAheadCycle: 8 } });
const scenario = workedExample();

describe("a cycle whose execution times out", () => {
  it("ends failed with the original MOL published as the fallback, and the operator alerted", async () => {
    const body = {
      ...structuredClone(scenario.lookAhead),
      anmSchemeId: `TIMEOUT-${process.pid}`,
      lookAheadId: "LA-timeout",
      gateClosureAt: new Date(Date.now() + 40_000).toISOString(),
    };
    const { cycleId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body,
    });
    const cycle = await waitFor(
      () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: local.stack.keys.operator }),
      (c) => c.status === "failed",
      60_000,
      500,
    );
    expect(cycle.failure).toMatchObject({ error: "States.Timeout" });
    const execution = await local.api.expect(200, "GET", `/cycles/${cycleId}/execution`, {
      key: local.stack.keys.operator,
    });
    expect(execution.status).toBe("TIMED_OUT");
    const query = new URLSearchParams({
      anmSchemeId: body.anmSchemeId,
      deliveryDate: body.deliveryDate,
      constraintId: "C1",
    });
    const mol = await local.api.expect(200, "GET", `/anm/merit-order?${query}`, {
      key: local.stack.keys.anm,
    });
    expect([mol.status, mol.fallback, mol.segments]).toEqual(["published", true, []]);
    const alert = local.stack.alerts.find((a) => a.message.includes(cycleId));
    expect(alert?.subject).toMatch(/timed out/);
    const trail = (
      await local.api.expect(200, "GET", `/audit?subject=${cycleId}`, {
        key: local.stack.keys.operator,
      })
    ).items.map((r: { action: string; actor: { principalId: string } }) => [
      r.action,
      r.actor.principalId,
    ]);
    expect(trail).toEqual(
      expect.arrayContaining([
        ["merit-order.fallback-published", "system:CycleExecutionEnded"],
        ["cycle.failed", "system:CycleExecutionEnded"],
      ]),
    );
  }, 120_000);
});
