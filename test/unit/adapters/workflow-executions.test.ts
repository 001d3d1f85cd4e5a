import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { WorkflowExecutions } from "../../../functions/adapters/workflow-executions";

const MACHINE = "arn:aws:states:eu-west-2:123456789012:stateMachine:BitraderMarket-DayAheadCycle";
const OWN = "arn:aws:states:eu-west-2:123456789012:execution:BitraderMarket-DayAheadCycle:c-1";
/** An execution of the machine the stack had before D-154 (a generated name), still stored. */
const OLD =
  "arn:aws:states:eu-west-2:123456789012:execution:DayAheadCycleStateMachine1A2B3C-xyz:c-0";
/** A machine whose name begins with this one's. */
const LONGER = "arn:aws:states:eu-west-2:123456789012:execution:BitraderMarket-DayAheadCycleX:c-2";

const sfn = mockClient(SFNClient);
const executions = new WorkflowExecutions(new SFNClient({ region: "eu-west-2" }), MACHINE);
const accessDenied = Object.assign(new Error("not authorized"), { name: "AccessDeniedException" });

describe("WorkflowExecutions: executions of another state machine (D-152, D-154)", () => {
  beforeEach(() => {
    sfn.reset();
    // What IAM answers for an execution outside the function's grant.
    sfn.on(DescribeExecutionCommand).rejects(accessDenied);
    sfn.on(GetExecutionHistoryCommand).rejects(accessDenied);
    sfn.on(DescribeExecutionCommand, { executionArn: OWN }).resolves({
      name: "c-1",
      status: "RUNNING",
      startDate: new Date("2027-06-13T09:00:00Z"),
    });
    sfn.on(GetExecutionHistoryCommand, { executionArn: OWN }).resolves({ events: [] });
  });

  it("reads one stored before the state machine was replaced as missing, asking nothing", async () => {
    for (const arn of [OLD, LONGER]) {
      expect(await executions.describe(arn)).toBeUndefined();
      expect(await executions.history(arn)).toBeUndefined();
      await executions.stop(arn, "superseded");
    }
    expect(sfn.calls()).toHaveLength(0);
  });

  it("still asks Step Functions about its own, and stops a running one", async () => {
    expect((await executions.describe(OWN))?.status).toBe("RUNNING");
    expect(await executions.history(OWN)).toEqual([]);
    await executions.stop(OWN, "superseded");
    expect(sfn.commandCalls(StopExecutionCommand)).toHaveLength(1);
  });

  it("passes on any other refusal of its own executions", async () => {
    sfn.on(DescribeExecutionCommand, { executionArn: OWN }).rejects(accessDenied);
    await expect(executions.describe(OWN)).rejects.toThrow("not authorized");
  });
});
