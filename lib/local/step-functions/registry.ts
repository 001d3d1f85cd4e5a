import "../promise-with-resolvers";
import { randomUUID } from "node:crypto";
import {
  ExecutionAbortedError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from "aws-local-stepfunctions";
import { type LambdaHandler, LOCAL_ACCOUNT, LOCAL_REGION, lambdaContext } from "../lambda-context";
import { ExecutionHistory, type InterpreterEvent } from "./history";

/**
 * The registry part of the local Step Functions endpoint: the state machines (the same ASL as the
 * cloud, run by aws-local-stepfunctions with each Task overridden by its in-process handler) and
 * their executions, which live in memory and are gone when the process stops.
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

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export interface Execution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  /** Epoch milliseconds. */
  readonly startDate: number;
  status: ExecutionStatus;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  readonly history: ExecutionHistory;
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

type Machine = LocalStateMachine & { readonly arn: string };

/** Told about every execution that has ended, once its status is final. */
export type ExecutionEndListener = (execution: Execution) => void;
/** The platform's clock as the local endpoint reads it (the one clock port; D-199). */
export interface RegistryClock {
  nowMs(): number;
  /**
   * The platform's time minus the real time, exactly. Reading it as `nowMs() - Date.now()` would
   * be off by a millisecond whenever the clock ticks between the two reads, and a history stamped
   * that way could show a Wait ending 1 ms before its timestamp.
   */
  offsetMs(): number;
}

export class StateMachineRegistry {
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();
  private readonly endListeners: ExecutionEndListener[] = [];

  /** Calls `listener` whenever an execution ends (D-134: the status-change event's source). */
  onEnded(listener: ExecutionEndListener): void {
    this.endListeners.push(listener);
  }

  constructor(
    machines: readonly LocalStateMachine[],
    private readonly region = LOCAL_REGION,
    private readonly account = LOCAL_ACCOUNT,
    private readonly clock: RegistryClock = { nowMs: () => Date.now(), offsetMs: () => 0 },
  ) {
    for (const machine of machines) {
      // Validates the definition once, up front, exactly as each run will.
      new StateMachine(machine.definition, { validationOptions: { checkArn: true } });
      const arn = this.stateMachineArn(machine.name);
      this.machines.set(arn, { ...machine, arn });
    }
  }

  stateMachineArn(name: string): string {
    return `arn:aws:states:${this.region}:${this.account}:stateMachine:${name}`;
  }

  list(): Machine[] {
    return [...this.machines.values()];
  }

  /** The machine with this ARN; StateMachineDoesNotExist otherwise. */
  machine(stateMachineArn: string): Machine {
    const machine = this.machines.get(stateMachineArn);
    if (machine === undefined) {
      throw new SfnApiError(
        "StateMachineDoesNotExist",
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    }
    return machine;
  }

  /**
   * Starts an execution, or returns the running one of the same name and input (Standard
   * workflows' idempotency); another execution of that name is ExecutionAlreadyExists.
   */
  start(stateMachineArn: string, name: string | undefined, inputText: string): Execution {
    const machine = this.machine(stateMachineArn);
    const executionName = name ?? randomUUID();
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(executionName)) {
      throw new SfnApiError("InvalidName", `Invalid Name: '${executionName}'`);
    }
    let input: unknown;
    try {
      input = JSON.parse(inputText);
    } catch {
      throw new SfnApiError("InvalidExecutionInput", "Invalid State Machine Execution Input");
    }
    const executionArn = `arn:aws:states:${this.region}:${this.account}:execution:${machine.name}:${executionName}`;
    const existing = this.executions.get(executionArn);
    if (existing !== undefined) {
      if (existing.status === "RUNNING" && existing.input === inputText) return existing;
      throw new SfnApiError(
        "ExecutionAlreadyExists",
        `Execution Already Exists: '${executionArn}'`,
      );
    }
    const execution = this.run(machine, executionArn, executionName, inputText, input);
    this.executions.set(executionArn, execution);
    return execution;
  }

  /** The execution with this ARN; ExecutionDoesNotExist otherwise. */
  find(executionArn: string): Execution {
    const execution = this.executions.get(executionArn);
    if (execution === undefined) {
      throw new SfnApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${executionArn}'`);
    }
    return execution;
  }

  /** A machine's executions, most recent first, optionally of one status. */
  executionsOf(stateMachineArn: string, status?: string): Execution[] {
    this.machine(stateMachineArn);
    return [...this.executions.values()]
      .filter((execution) => execution.stateMachineArn === stateMachineArn)
      .filter((execution) => status === undefined || execution.status === status)
      .sort((a, b) => b.startDate - a.startDate);
  }

  /** Aborts every running execution and waits until each has ended. */
  async abortAll(): Promise<void> {
    for (const execution of this.executions.values()) {
      if (execution.status === "RUNNING") execution.abort();
    }
    await Promise.allSettled([...this.executions.values()].map((execution) => execution.done));
  }

  private run(
    machine: Machine,
    executionArn: string,
    name: string,
    inputText: string,
    input: unknown,
  ): Execution {
    const startDate = this.clock.nowMs();
    const stateMachine = new StateMachine(machine.definition, {
      validationOptions: { checkArn: true },
    });
    const offsetMs = () => this.clock.offsetMs();
    const run = stateMachine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(
          Object.entries(machine.tasks).map(([state, handler]) => [
            state,
            invokeLikeLambda(state, handler),
          ]),
        ),
        waitTimeOverrides: waitByClock(
          machine.definition,
          machine.waitTimeOverrides ?? {},
          offsetMs,
        ),
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
    const history = new ExecutionHistory(machine.arn);
    const collect = (async () => {
      // The interpreter stamps events with the real time; the platform's clock may be offset.
      for await (const event of run.eventLogs)
        history.record({
          ...(event as InterpreterEvent),
          timestamp: (event as InterpreterEvent).timestamp + offsetMs(),
        });
    })();
    const execution: Execution = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      input: inputText,
      startDate,
      status: "RUNNING",
      history,
      abort: () => run.abort(),
      done: run.result
        .then(
          async (output) => {
            await collect;
            execution.status = "SUCCEEDED";
            execution.output = JSON.stringify(output);
            execution.stopDate = this.clock.nowMs();
          },
          async (error: unknown) => {
            await collect.catch(() => undefined);
            execution.stopDate = this.clock.nowMs();
            if (error instanceof ExecutionAbortedError) {
              execution.status = "ABORTED";
            } else if (error instanceof ExecutionTimeoutError) {
              execution.status = "TIMED_OUT";
            } else {
              execution.status = "FAILED";
              const details = history.failure();
              execution.error = details?.error ?? (error instanceof Error ? error.name : "Error");
              execution.cause = details?.cause ?? (error instanceof Error ? error.message : "");
            }
          },
        )
        .then(() => {
          for (const listener of this.endListeners) listener(execution);
        }),
    };
    return execution;
  }
}

/**
 * D-199: the Wait states of a machine wait by the platform's clock. A test's override (a fixed
 * time) is used as given. Otherwise a Wait with `Timestamp` or `TimestampPath` must end when the
 * *platform's* time reaches its timestamp; aws-local-stepfunctions compares the timestamp with
 * the real time (`Date.now()`) at the moment the Wait starts, in the same synchronous run as its
 * lookup of this override table. So the lookup of such a Wait, when the platform clock is offset,
 * lends the interpreter the platform's time for exactly that synchronous run (restored in the
 * next microtask, before any other code runs): the Wait then sleeps `timestamp − platform now`.
 * With the real clock nothing is touched.
 */
export function waitByClock(
  definition: StateMachineDefinition,
  fixed: Readonly<Record<string, number>>,
  offsetMs: () => number,
): Record<string, number> {
  const timed = new Set(
    Object.entries(definition.States)
      .filter(
        ([, state]) => state.Type === "Wait" && ("Timestamp" in state || "TimestampPath" in state),
      )
      .map(([name]) => name),
  );
  return new Proxy(
    { ...fixed },
    {
      get(target, property) {
        if (typeof property !== "string") return undefined;
        if (Object.hasOwn(target, property)) return target[property];
        const offset = offsetMs();
        if (timed.has(property) && offset !== 0) lendPlatformTime(offset);
        return undefined;
      },
    },
  );
}

const realNow = Date.now;

/**
 * Node's timers may fire up to a millisecond before their delay by `Date.now()` (libuv counts from
 * the loop's cached time), so the Wait is lent a time 1 ms behind the platform's: it then sleeps
 * 1 ms longer and never ends before its timestamp, as a Step Functions Wait never does.
 */
const TIMER_EARLY_MS = 1;

/** `Date.now()` reads the platform's time until the current synchronous run ends. */
function lendPlatformTime(offset: number): void {
  if (Date.now !== realNow) return;
  Date.now = () => realNow() + offset - TIMER_EARLY_MS;
  queueMicrotask(() => {
    Date.now = realNow;
  });
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
