import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "../lambda-context";
import {
  type Execution,
  type ExecutionEndListener,
  type LocalStateMachine,
  type RegistryClock,
  SfnApiError,
  StateMachineRegistry,
} from "./registry";

/**
 * A local Step Functions endpoint: the subset of the Step Functions API (AWS JSON 1.0 protocol)
 * the platform uses — StartExecution, DescribeExecution, GetExecutionHistory, ListExecutions,
 * StopExecution, ListStateMachines — over the same ASL files as the cloud. This file is the API
 * (HTTP, operations, paging); `registry.ts` runs the machines, `history.ts` keeps their history.
 * Lambdas and tools use `@aws-sdk/client-sfn` unchanged, with `endpoint` pointing here.
 */
export type { LocalStateMachine } from "./registry";

const MAX_RESULTS = 1000;

export class LocalStepFunctions {
  private readonly registry: StateMachineRegistry;
  private server: Server | undefined;

  constructor(
    machines: readonly LocalStateMachine[],
    region = LOCAL_REGION,
    account = LOCAL_ACCOUNT,
    clock?: RegistryClock,
  ) {
    this.registry = new StateMachineRegistry(machines, region, account, clock);
  }

  stateMachineArn(name: string): string {
    return this.registry.stateMachineArn(name);
  }

  /** Calls `listener` whenever an execution ends, with its final state (D-134). */
  onExecutionEnded(listener: ExecutionEndListener): void {
    this.registry.onEnded(listener);
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
    await this.registry.abortAll();
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
      case "StartExecution": {
        const execution = this.registry.start(
          String(request.stateMachineArn),
          request.name === undefined ? undefined : String(request.name),
          request.input === undefined ? "{}" : String(request.input),
        );
        return { executionArn: execution.executionArn, startDate: execution.startDate / 1000 };
      }
      case "DescribeExecution":
        return describe(this.registry.find(String(request.executionArn)));
      case "GetExecutionHistory": {
        const { events } = this.registry.find(String(request.executionArn)).history;
        return page(
          request.reverseOrder === true ? [...events].reverse() : events,
          request,
          "events",
        );
      }
      case "ListExecutions": {
        const status =
          request.statusFilter === undefined ? undefined : String(request.statusFilter);
        const executions = this.registry.executionsOf(String(request.stateMachineArn), status);
        return page(executions.map(summary), request, "executions");
      }
      case "StopExecution": {
        const execution = this.registry.find(String(request.executionArn));
        if (execution.status === "RUNNING") {
          execution.abort();
          await execution.done;
        }
        return { stopDate: (execution.stopDate ?? execution.startDate) / 1000 };
      }
      case "ListStateMachines":
        return {
          stateMachines: this.registry.list().map((machine) => ({
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
}

/** DescribeExecution's answer: the summary, its input, and its output or failure. */
function describe(execution: Execution) {
  return {
    ...summary(execution),
    input: execution.input,
    inputDetails: { included: true },
    ...(execution.output === undefined
      ? {}
      : { output: execution.output, outputDetails: { included: true } }),
    ...(execution.error === undefined ? {} : { error: execution.error, cause: execution.cause }),
  };
}

/** An execution as ListExecutions lists it. */
function summary(execution: Execution) {
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: execution.startDate / 1000,
    ...(execution.stopDate === undefined ? {} : { stopDate: execution.stopDate / 1000 }),
  };
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
