import "./promise-with-resolvers";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ExecutionAbortedError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from "aws-local-stepfunctions";
import { type LambdaHandler, LOCAL_ACCOUNT, LOCAL_REGION, lambdaContext } from "./lambda-context";

/**
 * A local Step Functions endpoint: the subset of the Step Functions API (AWS JSON 1.0 protocol)
 * the platform uses — StartExecution, DescribeExecution, GetExecutionHistory, ListExecutions,
 * StopExecution, ListStateMachines — over the same ASL files as the cloud, run by
 * aws-local-stepfunctions with each Task overridden by its in-process handler. Lambdas and
 * tools use `@aws-sdk/client-sfn` unchanged, with `endpoint` pointing here.
 *
 * Executions live in memory: they are gone when the process stops.
 */
export interface LocalStateMachine {
  readonly name: string;
  /** The ASL with every `${…}` placeholder already substituted. */
  readonly definition: StateMachineDefinition;
  /** Task state name → the handler that runs it, called like `lambda:invoke` would. */
  readonly tasks: Readonly<Record<string, LambdaHandler>>;
  /** Wait state name → milliseconds to wait instead (tests). */
  readonly waitTimeOverrides?: Readonly<Record<string, number>>;
}

type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}

interface Execution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: number;
  status: ExecutionStatus;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  readonly events: HistoryEvent[];
  abort(): void;
  readonly done: Promise<void>;
}

/** A Step Functions API error, answered as `{ "__type", "message" }` with status 400. */
export class SfnApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_RESULTS = 1000;

export class LocalStepFunctions {
  private readonly machines = new Map<string, LocalStateMachine & { arn: string }>();
  private readonly executions = new Map<string, Execution>();
  private server: Server | undefined;

  constructor(
    machines: readonly LocalStateMachine[],
    private readonly region = LOCAL_REGION,
    private readonly account = LOCAL_ACCOUNT,
  ) {
    for (const machine of machines) {
      // Validates the definition once, up front, exactly as each run will.
      new StateMachine(machine.definition, { validationOptions: { checkArn: true } });
      this.machines.set(this.stateMachineArn(machine.name), {
        ...machine,
        arn: this.stateMachineArn(machine.name),
      });
    }
  }

  stateMachineArn(name: string): string {
    return `arn:aws:states:${this.region}:${this.account}:stateMachine:${name}`;
  }

  /** Serves the API on 127.0.0.1; port 0 picks a free one. Returns the endpoint URL. */
  async listen(port = 0): Promise<string> {
    const server = createServer((req, res) => void this.serve(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Aborts running executions and closes the endpoint. */
  async close(): Promise<void> {
    for (const execution of this.executions.values()) {
      if (execution.status === "RUNNING") execution.abort();
    }
    await Promise.allSettled([...this.executions.values()].map((execution) => execution.done));
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** One API call by operation name (`StartExecution`…) with its JSON request. */
  async call(operation: string, request: Record<string, unknown>): Promise<unknown> {
    switch (operation) {
      case "StartExecution":
        return this.startExecution(request);
      case "DescribeExecution":
        return this.describeExecution(request);
      case "GetExecutionHistory":
        return this.getExecutionHistory(request);
      case "ListExecutions":
        return this.listExecutions(request);
      case "StopExecution":
        return this.stopExecution(request);
      case "ListStateMachines":
        return {
          stateMachines: [...this.machines.values()].map((machine) => ({
            stateMachineArn: machine.arn,
            name: machine.name,
            type: "STANDARD",
            creationDate: 0,
          })),
        };
      default:
        throw new SfnApiError("UnknownOperationException", `${operation} is not supported locally`);
    }
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers["x-amz-target"] ?? "");
    const operation = target.startsWith("AWSStepFunctions.") ? target.slice(17) : "";
    let status = 200;
    let body: unknown;
    try {
      if (req.method !== "POST" || operation === "") {
        throw new SfnApiError("UnknownOperationException", "expected an AWSStepFunctions call");
      }
      const text = Buffer.concat(chunks).toString("utf8");
      const request = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
      body = await this.call(operation, request);
    } catch (error) {
      status = 400;
      const type = error instanceof SfnApiError ? error.type : "InvalidParameterValue";
      const message = error instanceof Error ? error.message : String(error);
      body = { __type: type, message };
      res.setHeader("x-amzn-errortype", type);
    }
    res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
    res.end(JSON.stringify(body));
  }

  private startExecution(request: Record<string, unknown>) {
    const machine = this.machines.get(String(request.stateMachineArn));
    if (machine === undefined) {
      throw new SfnApiError(
        "StateMachineDoesNotExist",
        `State Machine Does Not Exist: '${request.stateMachineArn}'`,
      );
    }
    const name = request.name === undefined ? randomUUID() : String(request.name);
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
      throw new SfnApiError("InvalidName", `Invalid Name: '${name}'`);
    }
    const inputText = request.input === undefined ? "{}" : String(request.input);
    let input: unknown;
    try {
      input = JSON.parse(inputText);
    } catch {
      throw new SfnApiError("InvalidExecutionInput", "Invalid State Machine Execution Input");
    }
    const executionArn = `arn:aws:states:${this.region}:${this.account}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing !== undefined) {
      // Standard workflows: same name + same input while running is idempotent; otherwise refused.
      if (existing.status === "RUNNING" && existing.input === inputText) {
        return { executionArn, startDate: existing.startDate / 1000 };
      }
      throw new SfnApiError(
        "ExecutionAlreadyExists",
        `Execution Already Exists: '${executionArn}'`,
      );
    }
    const execution = this.run(machine, executionArn, name, inputText, input);
    return { executionArn, startDate: execution.startDate / 1000 };
  }

  private run(
    machine: LocalStateMachine & { arn: string },
    executionArn: string,
    name: string,
    inputText: string,
    input: unknown,
  ): Execution {
    const startDate = Date.now();
    const stateMachine = new StateMachine(machine.definition, {
      validationOptions: { checkArn: true },
    });
    const taskResourceLocalHandlers = Object.fromEntries(
      Object.entries(machine.tasks).map(([state, handler]) => [
        state,
        invokeLikeLambda(state, handler),
      ]),
    );
    const run = stateMachine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers,
        ...(machine.waitTimeOverrides
          ? { waitTimeOverrides: { ...machine.waitTimeOverrides } }
          : {}),
      },
      context: {
        Execution: {
          Id: executionArn,
          Name: name,
          Input: input as never,
          StartTime: new Date(startDate).toISOString(),
          RoleArn: `arn:aws:iam::${this.account}:role/local`,
        },
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
    });
    const events: HistoryEvent[] = [];
    const record = (type: string, timestamp: number, details: Record<string, unknown>) => {
      events.push({
        id: events.length + 1,
        previousEventId: events.length,
        timestamp,
        type,
        ...details,
      });
    };
    const collect = (async () => {
      for await (const event of run.eventLogs) {
        const mapped = historyEvent(event as never, machine.arn);
        if (mapped !== undefined) record(mapped.type, event.timestamp / 1000, mapped.details);
      }
    })();
    const execution: Execution = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      input: inputText,
      startDate,
      status: "RUNNING",
      events,
      abort: () => run.abort(),
      done: run.result.then(
        async (output) => {
          await collect;
          execution.status = "SUCCEEDED";
          execution.output = JSON.stringify(output);
          execution.stopDate = Date.now();
        },
        async (error: unknown) => {
          await collect.catch(() => undefined);
          execution.stopDate = Date.now();
          if (error instanceof ExecutionAbortedError) {
            execution.status = "ABORTED";
          } else if (error instanceof ExecutionTimeoutError) {
            execution.status = "TIMED_OUT";
          } else {
            execution.status = "FAILED";
            const failed = [...events].reverse().find((event) => event.type === "ExecutionFailed");
            const details = failed?.executionFailedEventDetails as
              | { error?: string; cause?: string }
              | undefined;
            execution.error = details?.error ?? (error instanceof Error ? error.name : "Error");
            execution.cause = details?.cause ?? (error instanceof Error ? error.message : "");
          }
        },
      ),
    };
    this.executions.set(executionArn, execution);
    return execution;
  }

  private find(request: Record<string, unknown>): Execution {
    const execution = this.executions.get(String(request.executionArn));
    if (execution === undefined) {
      throw new SfnApiError(
        "ExecutionDoesNotExist",
        `Execution Does Not Exist: '${request.executionArn}'`,
      );
    }
    return execution;
  }

  private describeExecution(request: Record<string, unknown>) {
    const execution = this.find(request);
    return {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate / 1000,
      ...(execution.stopDate === undefined ? {} : { stopDate: execution.stopDate / 1000 }),
      input: execution.input,
      inputDetails: { included: true },
      ...(execution.output === undefined
        ? {}
        : { output: execution.output, outputDetails: { included: true } }),
      ...(execution.error === undefined ? {} : { error: execution.error, cause: execution.cause }),
    };
  }

  private getExecutionHistory(request: Record<string, unknown>) {
    const execution = this.find(request);
    const ordered =
      request.reverseOrder === true ? [...execution.events].reverse() : execution.events;
    return page(ordered, request, "events");
  }

  private listExecutions(request: Record<string, unknown>) {
    const machineArn = String(request.stateMachineArn);
    if (!this.machines.has(machineArn)) {
      throw new SfnApiError(
        "StateMachineDoesNotExist",
        `State Machine Does Not Exist: '${machineArn}'`,
      );
    }
    const filter = request.statusFilter === undefined ? undefined : String(request.statusFilter);
    const items = [...this.executions.values()]
      .filter((execution) => execution.stateMachineArn === machineArn)
      .filter((execution) => filter === undefined || execution.status === filter)
      .sort((a, b) => b.startDate - a.startDate)
      .map((execution) => ({
        executionArn: execution.executionArn,
        stateMachineArn: execution.stateMachineArn,
        name: execution.name,
        status: execution.status,
        startDate: execution.startDate / 1000,
        ...(execution.stopDate === undefined ? {} : { stopDate: execution.stopDate / 1000 }),
      }));
    return page(items, request, "executions");
  }

  private async stopExecution(request: Record<string, unknown>) {
    const execution = this.find(request);
    if (execution.status === "RUNNING") {
      execution.abort();
      await execution.done;
    }
    return { stopDate: (execution.stopDate ?? Date.now()) / 1000 };
  }
}

/** `maxResults` / `nextToken` paging; the token is the next offset. */
function page<T>(items: readonly T[], request: Record<string, unknown>, key: string) {
  const offset =
    request.nextToken === undefined ? 0 : Number.parseInt(String(request.nextToken), 10);
  if (!Number.isInteger(offset) || offset < 0)
    throw new SfnApiError("InvalidToken", "Invalid Token");
  const max =
    Number(request.maxResults) > 0
      ? Math.min(Number(request.maxResults), MAX_RESULTS)
      : MAX_RESULTS;
  const slice = items.slice(offset, offset + max);
  const next = offset + max < items.length ? { nextToken: String(offset + max) } : {};
  return { [key]: slice, ...next };
}

/**
 * Wraps an in-process handler so that the Task sees what `arn:aws:states:::lambda:invoke` gives:
 * input `{ FunctionName, Payload }`, result `{ StatusCode: 200, Payload }`; a thrown error fails the
 * Task with the error's name as `Error` and Lambda's JSON error document as `Cause`.
 */
function invokeLikeLambda(state: string, handler: LambdaHandler) {
  return async (input: unknown) => {
    const { FunctionName, Payload } = (input ?? {}) as { FunctionName?: string; Payload?: unknown };
    const functionName =
      String(FunctionName ?? state)
        .split(":")
        .at(-1) ?? state;
    try {
      const result = await handler(Payload, lambdaContext(functionName, 60_000));
      return { StatusCode: 200, ExecutedVersion: "$LATEST", Payload: (result ?? null) as never };
    } catch (error) {
      const name = error instanceof Error ? error.name : "Error";
      const message = error instanceof Error ? error.message : String(error);
      const failure = new Error(JSON.stringify({ errorType: name, errorMessage: message }));
      failure.name = name;
      throw failure;
    }
  };
}

/** aws-local-stepfunctions' event → the Step Functions history event it stands for. */
function historyEvent(
  event: {
    type: string;
    state?: { name: string; type: string; input?: unknown; output?: unknown };
    input?: unknown;
    output?: unknown;
    Error?: string;
    Cause?: unknown;
    index?: number;
    parentState?: { name: string };
  },
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
