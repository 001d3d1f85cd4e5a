import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
} from "aws-lambda";
import { ensureTable } from "../../functions/adapters/create-tables";
import { generateApiKey, hashApiKey } from "../../functions/adapters/credentials";
import { TABLE_SPEC } from "../../functions/adapters/table-spec";
import type { Consumer, ScheduleTrigger, StreamTrigger } from "../../functions/events/consumers";
import { AUTHORIZER, type Route } from "../../functions/http/routes";
import type { Workflow } from "../../functions/workflow/workflows";
import { aslPlaceholders, substituteAsl } from "../asl-placeholders";
import { type ApiServer, startApiServer } from "./api-server";
import { type LocalPlan, localEnvironment, localPlan } from "./bindings";
import { type DynamoDbLocal, startDynamoDbLocal } from "./dynamodb-local";
import { type LambdaHandler, LOCAL_ACCOUNT, LOCAL_REGION, loadHandler } from "./lambda-context";
import { LocalStepFunctions } from "./step-functions/api";
import { LocalStreamRunner, type StreamRunnerOptions } from "./stream-runner";
import { LocalTimer, type TimerRunnerOptions } from "./timer-runner";

type StreamHandler = StreamRunnerOptions["handler"];
type TimerHandler = TimerRunnerOptions["handler"];

/**
 * The whole platform on one machine (api.md, "The local stack"), read from the same tables as
 * the CDK app: DynamoDB Local → the table from TABLE_SPEC (with its stream) → the local Step
 * Functions endpoint over every WORKFLOWS row's ASL → the environment the grants need → the
 * operator/ANM keys → the local REST API over ROUTES → a runner per CONSUMERS row. Used by
 * `bin/local.ts`, the integration tests and the bench.
 *
 * The handlers run in this process and read their environment once, on first use; this
 * function sets that environment before any handler runs, so start one stack per process.
 */
export interface LocalStackOptions {
  /** Repository root: where the tables' entries and the ASL files are. */
  readonly root: string;
  readonly inMemory: boolean;
  /** @default ".local" under root */
  readonly dataDir?: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default 0 (a free port) */
  readonly sfnPort?: number;
  /** Keys to accept for the operator and ANM; generated when absent. */
  readonly operatorKey?: string;
  readonly anmKey?: string;
  /** Extra routes (tests); they run through the same authorizer. */
  readonly extraRoutes?: readonly Route[];
  /** Extra workflows (tests), run like the WORKFLOWS rows. */
  readonly extraWorkflows?: readonly Workflow[];
  /** Extra consumers (tests), run like the CONSUMERS rows. */
  readonly extraConsumers?: readonly Consumer[];
  /** Wait state → milliseconds instead of its real wait (tests). */
  readonly waitTimeOverrides?: Readonly<Record<string, number>>;
  /** Schedule consumer id → milliseconds between runs instead of its rate (tests). */
  readonly scheduleOverrides?: Readonly<Record<string, number>>;
  /** Wraps each Task state's handler (fault-injection tests); the cloud has no such hook. */
  readonly wrapTask?: (state: string, handler: LambdaHandler) => LambdaHandler;
  /**
   * Called once with the DynamoDB client the handlers share, before any request is served, so a
   * test or the bench can add SDK middleware to it (request counting, faults in the middle of a
   * task's writes). The cloud has no such hook.
   */
  readonly instrumentDynamo?: (client: DynamoDBDocumentClient) => void;
}

export interface LocalStack {
  readonly url: string;
  readonly sfnEndpoint: string;
  readonly dynamoDbEndpoint: string;
  /** The DynamoDB Local java process (its own process group). */
  readonly dynamoDbPid: number;
  readonly tableName: string;
  readonly streamArn: string;
  /** The day-ahead cycle's state machine. */
  readonly stateMachineArn: string;
  /** Workflow id → its local state machine. */
  readonly stateMachineArns: Readonly<Record<string, string>>;
  readonly keys: { readonly operator: string; readonly anm: string };
  /** Which of the keys were generated (not given). */
  readonly generatedKeys: readonly ("operator" | "anm")[];
  stop(): Promise<void>;
}

/** Something the stack started and stops on the way down, last started first. */
interface Running {
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const root = resolve(options.root);
  const dataDir = resolve(root, options.dataDir ?? ".local");
  const plan = localPlan({
    ...(options.extraRoutes ? { routes: options.extraRoutes } : {}),
    ...(options.extraWorkflows ? { workflows: options.extraWorkflows } : {}),
    ...(options.extraConsumers ? { consumers: options.extraConsumers } : {}),
  });
  const dynamo: DynamoDbLocal = await startDynamoDbLocal({ inMemory: options.inMemory, dataDir });
  const running: Running[] = [dynamo];
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const part of running.reverse()) await part.stop();
    })();
    return stopping;
  };
  try {
    const tableName = TABLE_SPEC.name;
    const { streamArn } = await createTable(dynamo.endpoint, tableName);
    const workflows = await startWorkflows(root, plan, options);
    running.push({ stop: () => workflows.sfn.close() });
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      SFN_ENDPOINT: workflows.endpoint,
      ...localEnvironment(plan, {
        tableName,
        streamArn,
        workflows: plan.workflows,
        stateMachineArns: workflows.arns,
      }),
    });
    if (options.instrumentDynamo) await instrumentHandlersClient(root, options.instrumentDynamo);
    const keys = await bootstrapKeys(options);
    const api = await startApi(root, plan.routes, options.port ?? 0);
    running.push({ stop: () => api.close() });
    running.push(
      ...(await startConsumers(root, plan.consumers, {
        endpoint: dynamo.endpoint,
        streamArn,
        ...(options.inMemory ? {} : { checkpointDir: join(dataDir, "consumers") }),
        scheduleOverrides: options.scheduleOverrides ?? {},
      })),
    );
    return {
      url: api.url,
      sfnEndpoint: workflows.endpoint,
      dynamoDbEndpoint: dynamo.endpoint,
      dynamoDbPid: dynamo.pid,
      tableName,
      streamArn,
      stateMachineArn: workflows.arns.DayAheadCycle!,
      stateMachineArns: workflows.arns,
      keys,
      generatedKeys: (["operator", "anm"] as const).filter(
        (role) => !{ operator: options.operatorKey, anm: options.anmKey }[role],
      ),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The table from TABLE_SPEC (created once, its stream turned on), and its stream's ARN. */
async function createTable(endpoint: string, tableName: string): Promise<{ streamArn: string }> {
  const client = new DynamoDBClient({
    region: LOCAL_REGION,
    endpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    return await ensureTable(client, TABLE_SPEC, tableName);
  } finally {
    client.destroy();
  }
}

/** Every workflow's ASL on the local Step Functions endpoint, each Task run by its handler. */
async function startWorkflows(
  root: string,
  plan: LocalPlan,
  options: LocalStackOptions,
): Promise<{ sfn: LocalStepFunctions; endpoint: string; arns: Record<string, string> }> {
  const machines = [];
  for (const workflow of plan.workflows) {
    const aslText = readFileSync(resolve(root, workflow.definitionFile), "utf8");
    const substitutions = Object.fromEntries(
      workflow.tasks.map((task) => [
        task.substitution,
        `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:bitrader-${task.state}`,
      ]),
    );
    const missing = aslPlaceholders(aslText).filter((name) => !(name in substitutions));
    if (missing.length > 0)
      throw new Error(`${workflow.id}: ASL placeholders without a task: ${missing.join(", ")}`);
    const tasks: Record<string, LambdaHandler> = {};
    for (const task of workflow.tasks) {
      const handler = await loadHandler(root, task.entry);
      tasks[task.state] = options.wrapTask ? options.wrapTask(task.state, handler) : handler;
    }
    machines.push({
      name: workflow.name,
      definition: JSON.parse(substituteAsl(aslText, substitutions)),
      tasks,
      ...(options.waitTimeOverrides ? { waitTimeOverrides: options.waitTimeOverrides } : {}),
    });
  }
  const sfn = new LocalStepFunctions(machines);
  const endpoint = await sfn.listen(options.sfnPort ?? 0);
  const arns = Object.fromEntries(
    plan.workflows.map((workflow) => [workflow.id, sfn.stateMachineArn(workflow.name)]),
  );
  return { sfn, endpoint, arns };
}

/** Hands the test or bench hook the DynamoDB client instance the handlers share. */
async function instrumentHandlersClient(
  root: string,
  instrument: (client: DynamoDBDocumentClient) => void,
): Promise<void> {
  // Loaded the way the handlers were, so this is the very client instance they use.
  const clients = (await import(
    pathToFileURL(resolve(root, "functions/runtime/clients.ts")).href
  )) as { dynamoDocumentClient: () => DynamoDBDocumentClient };
  instrument(clients.dynamoDocumentClient());
}

/** The operator and ANM keys: given, or generated; stored hashed like any other key. */
async function bootstrapKeys(
  options: LocalStackOptions,
): Promise<{ operator: string; anm: string }> {
  const { deps } = await import("../../functions/runtime/deps");
  const keys = {
    operator: options.operatorKey || generateApiKey(),
    anm: options.anmKey || generateApiKey(),
  };
  for (const role of ["operator", "anm"] as const) {
    await deps.apiKeys.replaceBootstrapKey({
      keyHash: hashApiKey(keys[role]),
      role,
      principalId: role,
      status: "active",
      createdAt: new Date().toISOString(),
    });
  }
  return keys;
}

/** The REST API: the routes through the same authorizer (built over them) and handlers. */
async function startApi(root: string, routes: readonly Route[], port: number): Promise<ApiServer> {
  const handlers: Record<string, LambdaHandler<APIGatewayProxyEvent, APIGatewayProxyResult>> = {};
  for (const route of routes) handlers[route.id] = await loadHandler(root, route.entry);
  const authorizerModule = (await import(pathToFileURL(resolve(root, AUTHORIZER.entry)).href)) as {
    authorizerFor: (
      routes: readonly Route[],
    ) => LambdaHandler<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>;
  };
  const authorizer = authorizerModule.authorizerFor(routes);
  return startApiServer({ routes, handlers, authorizer }, port);
}

/** A runner per consumer: the stream runner over DynamoDB Local's stream, or a timer. */
async function startConsumers(
  root: string,
  consumers: readonly Consumer[],
  local: {
    endpoint: string;
    streamArn: string;
    checkpointDir?: string;
    scheduleOverrides: Readonly<Record<string, number>>;
  },
): Promise<Running[]> {
  const log = (message: string) => process.stderr.write(`[consumers] ${message}\n`);
  const runners: Running[] = [];
  for (const consumer of consumers) {
    const handler = await loadHandler<never, unknown>(root, consumer.entry);
    const { trigger } = consumer;
    const runner =
      trigger.kind === "stream"
        ? new LocalStreamRunner({
            consumer: consumer as Consumer & { trigger: StreamTrigger },
            handler: handler as StreamHandler,
            endpoint: local.endpoint,
            region: LOCAL_REGION,
            streamArn: local.streamArn,
            ...(local.checkpointDir
              ? { checkpointFile: join(local.checkpointDir, `${consumer.id}.json`) }
              : {}),
            log,
          })
        : new LocalTimer({
            consumer: consumer as Consumer & { trigger: ScheduleTrigger },
            handler: handler as TimerHandler,
            ...(local.scheduleOverrides[consumer.id] === undefined
              ? {}
              : { everyMs: local.scheduleOverrides[consumer.id]! }),
            log,
          });
    await runner.start();
    runners.push(runner);
  }
  return runners;
}
