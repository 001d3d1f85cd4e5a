import { describe, expect, it } from "vitest";
import { StateMachineRegistry } from "../../../lib/local/step-functions/registry";

/**
 * D-199 on the local Step Functions endpoint: with the trial clock a Wait with `TimestampPath`
 * ends by the platform's clock, and never before its timestamp — neither in fact (the next state
 * runs at or after it) nor in the history (stamped with the exact offset, not one re-read per
 * event, which could lag by a millisecond).
 */
const OFFSET_MS = 86_400_000 * 100 + 357;

const definition = {
  StartAt: "WaitUntil",
  States: {
    WaitUntil: { Type: "Wait", TimestampPath: "$.at", Next: "After" },
    After: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "after", "Payload.$": "$" },
      End: true,
    },
  },
} as const;

describe("a Wait on the trial clock", () => {
  it("never ends before its timestamp, in fact or in the history (30 runs)", async () => {
    const platformNow = () => Date.now() + OFFSET_MS;
    const lateBy: number[] = [];
    const registry = new StateMachineRegistry(
      [
        {
          name: "wait",
          definition: definition as never,
          tasks: {
            After: async (payload: unknown) => {
              lateBy.push(platformNow() - Date.parse((payload as { at: string }).at));
              return {};
            },
          },
        },
      ],
      undefined,
      undefined,
      { nowMs: platformNow, offsetMs: () => OFFSET_MS },
    );
    const arn = registry.stateMachineArn("wait");
    // Each Wait's timestamp is taken before any execution starts: a Wait that is the first state
    // is entered within start() itself, during which Date.now() is lent the platform's time.
    const first = platformNow();
    const runs = Array.from({ length: 30 }, (_, run) => ({ run, at: first + 20 + (run % 7) })).map(
      ({ run, at }) => ({
        at,
        execution: registry.start(
          arn,
          `run-${run}`,
          JSON.stringify({ at: new Date(at).toISOString() }),
        ),
      }),
    );
    await Promise.all(runs.map((r) => r.execution.done));
    expect(lateBy).toHaveLength(30);
    for (const { at, execution } of runs) {
      expect(execution.status).toBe("SUCCEEDED");
      const entered = execution.history.events.find(
        (e) => e.type === "TaskStateEntered" && JSON.stringify(e).includes("After"),
      );
      expect(entered, execution.name).toBeDefined();
      expect(entered!.timestamp * 1000, execution.name).toBeGreaterThanOrEqual(at);
      // Stamped by the platform's clock, not the real one.
      expect(entered!.timestamp * 1000 - at, execution.name).toBeLessThan(120_000);
    }
    expect(Math.min(...lateBy)).toBeGreaterThanOrEqual(0);
  });
});
