import {
  DescribeExecutionCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  paginateGetExecutionHistory,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import type {
  ExecutionStep,
  ExecutionSummary,
  WorkflowInspector,
  WorkflowStarter,
} from "../core/ports";

/**
 * The executions of one state machine (a WORKFLOWS row) through the Step Functions API — the
 * same calls in the cloud and against the local endpoint (SFN_ENDPOINT).
 */
export class WorkflowExecutions implements WorkflowStarter, WorkflowInspector {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  /**
   * Starts an execution named `name`; idempotent while it runs (the same name and input return
   * the same execution, as Step Functions Standard does). An execution of that name that has
   * ended, or has another input, is `ExecutionAlreadyExists`: undefined, never adopted (D-132).
   */
  async start(name: string, input: unknown): Promise<string | undefined> {
    try {
      const { executionArn } = await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
      return executionArn!;
    } catch (error) {
      if (nameOf(error) === "ExecutionAlreadyExists") return undefined;
      throw error;
    }
  }

  /** The ARN of this state machine's execution called `name`. */
  executionArnOf(name: string): string {
    return `${this.stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
  }

  /**
   * Whether an execution ARN is one of this state machine's. One that is not (stored before the
   * state machine was replaced, D-154, or another machine's) is read as missing, as one the
   * service no longer has (D-152): Step Functions would refuse it on IAM before saying so.
   */
  private owns(executionArn: string): boolean {
    return executionArn.startsWith(this.executionArnOf(""));
  }

  /** Stops a running execution; one that has already ended is left as it is. */
  async stop(executionArn: string, cause: string): Promise<void> {
    const current = await this.describe(executionArn);
    if (current?.status !== "RUNNING") return;
    await this.client.send(new StopExecutionCommand({ executionArn, cause, error: "Superseded" }));
  }

  async describe(executionArn: string): Promise<ExecutionSummary | undefined> {
    if (!this.owns(executionArn)) return undefined;
    const execution = await this.client
      .send(new DescribeExecutionCommand({ executionArn }))
      .catch(missingAsUndefined);
    if (execution === undefined) return undefined;
    return {
      executionArn,
      name: execution.name ?? "",
      status: execution.status ?? "UNKNOWN",
      startedAt: (execution.startDate ?? new Date(0)).toISOString(),
      ...(execution.stopDate ? { stoppedAt: execution.stopDate.toISOString() } : {}),
      ...(execution.error ? { error: execution.error } : {}),
      ...(execution.cause ? { cause: execution.cause } : {}),
    };
  }

  /** The whole history, oldest first, every page read (the SDK's paginator). */
  async history(executionArn: string): Promise<ExecutionStep[] | undefined> {
    if (!this.owns(executionArn)) return undefined;
    const steps: ExecutionStep[] = [];
    try {
      for await (const page of paginateGetExecutionHistory(
        { client: this.client, pageSize: 1000 },
        { executionArn },
      ))
        steps.push(...(page.events ?? []).map(step));
    } catch (error) {
      return missingAsUndefined(error);
    }
    return steps;
  }

  /** The most recent executions first. */
  async list(limit = 20): Promise<ExecutionSummary[]> {
    const { executions } = await this.client.send(
      new ListExecutionsCommand({ stateMachineArn: this.stateMachineArn, maxResults: limit }),
    );
    return (executions ?? []).map((execution) => ({
      executionArn: execution.executionArn ?? "",
      name: execution.name ?? "",
      status: execution.status ?? "UNKNOWN",
      startedAt: (execution.startDate ?? new Date(0)).toISOString(),
      ...(execution.stopDate ? { stoppedAt: execution.stopDate.toISOString() } : {}),
    }));
  }
}

function nameOf(error: unknown): unknown {
  return (error as { name?: unknown } | null)?.name;
}

/** D-152: an execution the service no longer has (local endpoint restarted, 90 days passed). */
function missingAsUndefined(error: unknown): undefined {
  if (nameOf(error) === "ExecutionDoesNotExist") return undefined;
  throw error;
}

function step(event: HistoryEvent): ExecutionStep {
  const state = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name;
  const failure =
    event.executionFailedEventDetails ??
    event.taskFailedEventDetails ??
    event.lambdaFunctionFailedEventDetails;
  return {
    type: event.type ?? "Unknown",
    ...(state ? { state } : {}),
    at: (event.timestamp ?? new Date(0)).toISOString(),
    ...(failure?.error ? { error: failure.error } : {}),
    ...(failure?.cause ? { cause: failure.cause } : {}),
  };
}
