/**
 * The history part of the local Step Functions endpoint: aws-local-stepfunctions' event log
 * mapped to the history events of the Step Functions API (GetExecutionHistory), numbered as the
 * service numbers them.
 */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  /** Epoch seconds, as the API's JSON protocol sends timestamps. */
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}

/** An event of aws-local-stepfunctions' `eventLogs`, as far as the mapping reads it. */
export interface InterpreterEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  input?: unknown;
  output?: unknown;
  Error?: string;
  Cause?: unknown;
  index?: number;
  parentState?: { name: string };
}

/** An execution's history as it grows: `record` appends the mapped event, if it maps to one. */
export class ExecutionHistory {
  readonly events: HistoryEvent[] = [];

  constructor(private readonly stateMachineArn: string) {}

  record(event: InterpreterEvent): void {
    const mapped = historyEvent(event, this.stateMachineArn);
    if (mapped === undefined) return;
    this.events.push({
      id: this.events.length + 1,
      previousEventId: this.events.length,
      timestamp: event.timestamp / 1000,
      type: mapped.type,
      ...mapped.details,
    });
  }

  /** The error and cause of the execution's failure event, if it has one. */
  failure(): { error?: string; cause?: string } | undefined {
    const failed = [...this.events].reverse().find((event) => event.type === "ExecutionFailed");
    return failed?.executionFailedEventDetails as { error?: string; cause?: string } | undefined;
  }
}

/** aws-local-stepfunctions' event → the Step Functions history event it stands for. */
function historyEvent(
  event: InterpreterEvent,
  stateMachineArn: string,
): { type: string; details: Record<string, unknown> } | undefined {
  const cause = typeof event.Cause === "string" ? event.Cause : JSON.stringify(event.Cause ?? "");
  switch (event.type) {
    case "ExecutionStarted":
      return {
        type: "ExecutionStarted",
        details: {
          executionStartedEventDetails: {
            input: JSON.stringify(event.input),
            inputDetails: { truncated: false },
            roleArn: stateMachineArn.replace(/:states:.*$/, ":iam::local:role/local"),
          },
        },
      };
    case "ExecutionSucceeded":
      return {
        type: "ExecutionSucceeded",
        details: {
          executionSucceededEventDetails: {
            output: JSON.stringify(event.output),
            outputDetails: { truncated: false },
          },
        },
      };
    case "ExecutionFailed":
      return {
        type: "ExecutionFailed",
        details: { executionFailedEventDetails: { error: event.Error, cause } },
      };
    case "ExecutionAborted":
      return { type: "ExecutionAborted", details: { executionAbortedEventDetails: {} } };
    case "ExecutionTimeout":
      return { type: "ExecutionTimedOut", details: { executionTimedOutEventDetails: {} } };
    case "StateEntered":
      return {
        type: `${event.state!.type}StateEntered`,
        details: {
          stateEnteredEventDetails: {
            name: event.state!.name,
            input: JSON.stringify(event.state!.input),
            inputDetails: { truncated: false },
          },
        },
      };
    case "StateExited":
      return {
        type: `${event.state!.type}StateExited`,
        details: {
          stateExitedEventDetails: {
            name: event.state!.name,
            output: JSON.stringify(event.state!.output),
            outputDetails: { truncated: false },
          },
        },
      };
    case "StateFailed":
      return event.state?.type === "Task"
        ? {
            type: "TaskFailed",
            details: {
              taskFailedEventDetails: {
                resourceType: "lambda",
                resource: "invoke",
                error: event.Error,
                cause,
              },
            },
          }
        : undefined;
    case "MapIterationStarted":
    case "MapIterationSucceeded":
    case "MapIterationFailed": {
      const key = `${event.type[0]!.toLowerCase()}${event.type.slice(1)}EventDetails`;
      return {
        type: event.type,
        details: { [key]: { name: event.parentState?.name, index: event.index } },
      };
    }
    default:
      return undefined;
  }
}
