import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
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
import { newKeyRecord } from "../../functions/core/access/api-key";
import { recordInstant } from "../../functions/core/model/settlement-periods";
import { resumeCycle } from "../../functions/core/use-cases/cycle-attempts";
import type {
  Consumer,
  ExecutionStatusTrigger,
  ScheduleTrigger,
  StreamTrigger,
} from "../../functions/events/consumers";
import { AUTHORIZER, type Route } from "../../functions/http/routes";
import type { Workflow } from "../../functions/workflow/workflows";
import { aslPlaceholders, substituteAsl } from "../asl-placeholders";
import { type ApiServer, startApiServer } from "./api-server";
import {
  grantedResources,
  type LocalPlan,
  localBucketName,
  localEnvironment,
  localPlan,
} from "./bindings";
import { type DynamoDbLocal, startDynamoDbLocal } from "./dynamodb-local";
import { freePort } from "./free-port";
import {
  type LambdaHandler,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  lambdaContext,
  loadHandler,
} from "./lambda-context";
import { type ObjectCreated, type ObjectRoute, objectRoute } from "./object-route";
import { liveCycleIds } from "./resume";
import { type LocalAlert, LocalTopics } from "./sns-endpoint";
import { LocalStepFunctions } from "./step-functions/api";
import type { Execution, RegistryClock } from "./step-functions/registry";
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
  /**
   * Consumers (by id) this stack does not run, because the test runs them in a process of its
   * own (to kill it); their environment is set all the same.
   */
  readonly withoutConsumers?: readonly string[];
  /** Wait state → milliseconds instead of its real wait (tests). */
  readonly waitTimeOverrides?: Readonly<Record<string, number>>;
  /** Workflow id → its ASL's top-level `TimeoutSeconds` instead (tests of D-134). */
  readonly workflowTimeoutOverrides?: Readonly<Record<string, number>>;
  /** Schedule consumer id → milliseconds between runs instead of its rate (tests). */
  readonly scheduleOverrides?: Readonly<Record<string, number>>;
  /** Wraps each Task state's handler (fault-injection tests); the cloud has no such hook. */
  readonly wrapTask?: (state: string, handler: LambdaHandler) => LambdaHandler;
  /**
   * The platform clock's offset from the real time, ms (the local trial clock, D-199): every use
   * case, record instant and Wait state reads `Date.now() + clockOffsetMs`. @default 0
   */
  readonly clockOffsetMs?: number;
  /**
   * Called once with the DynamoDB client the handlers share, before any request is served, so a
   * test or the bench can add SDK middleware to it (request counting, faults in the middle of a
   * task's writes). The cloud has no such hook.
   */
  readonly instrumentDynamo?: (client: DynamoDBDocumentClient) => void;
  /**
   * A DynamoDB Local already running (started with `inMemory`) that this stack uses instead of
   * starting its own, with a table of its own (`tableName`), deleted again when the stack stops.
   * The quick bench's sections share one (D-128), started `shortLived`: one java and its JIT
   * warm-up for the four sections rather than four. (Measured: sharing alone did not lower the
   * run's CPU; dropping C2 did, by half of java's.)
   */
  readonly sharedDynamoDb?: { readonly endpoint: string; readonly pid: number };
  /** @default TABLE_SPEC.name; give another with `sharedDynamoDb`. */
  readonly tableName?: string;
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
  /** The cycles whose workflow had not ended and that got their next attempt at start (D-201). */
  readonly resumedCycles: readonly string[];
  /** Which of the keys were generated (not given). */
  readonly generatedKeys: readonly ("operator" | "anm")[];
  /** What was published to the local alarm topic (D-135), oldest first. */
  readonly alerts: readonly LocalAlert[];
  stop(): Promise<void>;
}

/** The local alarm topic's name (the cloud's is the `Alarms` construct's topic). */
const ALARM_TOPIC = "bitrader-alarms";

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
  const tableName = options.tableName ?? TABLE_SPEC.name;
  const dynamo: DynamoDbLocal = options.sharedDynamoDb
    ? {
        ...options.sharedDynamoDb,
        stop: () => deleteTable(options.sharedDynamoDb!.endpoint, tableName),
      }
    : await startDynamoDbLocal({ inMemory: options.inMemory, dataDir });
  const running: Running[] = [dynamo];
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const part of running.reverse()) await part.stop();
    })();
    return stopping;
  };
  try {
    const { streamArn } = await createTable(dynamo.endpoint, tableName);
    const clock = await installClock(root, options.clockOffsetMs ?? 0);
    const workflows = await startWorkflows(root, plan, options, clock);
    running.push({ stop: () => workflows.sfn.close() });
    // Buckets are served by a route of the API server, so its port is chosen before the
    // handlers read their environment (once, on first use).
    const port = options.port || (await freePort());
    const buckets = Object.fromEntries(
      grantedResources(plan.grants)
        .filter((g) => g.kind === "bucket")
        .map((g) => [g.id, localBucketName(g.id)]),
    );
    const { clockSource } = await handlersDeps(root);
    const objects = objectRoute({
      baseUrl: () => `http://127.0.0.1:${port}`,
      buckets: Object.values(buckets),
      ...(options.inMemory ? {} : { dataDir: join(dataDir, "buckets") }),
      // Tests move the clock through the handlers' clock source: stamp objects with it.
      nowMs: () => clockSource.current.nowMs(),
    });
    const topics = new LocalTopics();
    const snsEndpoint = await topics.listen();
    running.push({ stop: () => topics.close() });
    Object.assign(process.env, {
      // D-150: every local client (the demo, the tests, the bench) is 127.0.0.1, so the local
      // stack counts registrations per address with a far higher limit unless one is given.
      REGISTRATIONS_PER_HOUR: process.env.REGISTRATIONS_PER_HOUR ?? "10000",
      AWS_REGION: LOCAL_REGION,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      SFN_ENDPOINT: workflows.endpoint,
      ...(Object.keys(buckets).length > 0 ? { S3_ENDPOINT: objects.endpoint } : {}),
      SNS_ENDPOINT: snsEndpoint,
      // A key file stands in for the KMS key of webhook secrets (D-163); receivers on this
      // machine (http://127.0.0.1:<port>, http://localhost:<port>) are allowed (R-NOTIFY-1).
      LOCAL_KEY_DIR: join(dataDir, "keys"),
      WEBHOOK_ALLOW_LOCAL_HTTP: "true",
      ...localEnvironment(plan, {
        tableName,
        streamArn,
        workflows: plan.workflows,
        stateMachineArns: workflows.arns,
        buckets,
        topicArns: { Alarms: topics.topicArn(ALARM_TOPIC) },
      }),
    });
    if (options.instrumentDynamo) await instrumentHandlersClient(root, options.instrumentDynamo);
    const keys = await bootstrapKeys(root, options);
    const api = await startApi(root, plan.routes, port, objects);
    running.push({ stop: () => api.close() });
    running.push(
      ...(await startConsumerRunners(
        root,
        plan.consumers.filter((c) => !options.withoutConsumers?.includes(c.id)),
        {
          endpoint: dynamo.endpoint,
          streamArn,
          sfn: workflows.sfn,
          stateMachineArns: workflows.arns,
          ...(options.inMemory ? {} : { checkpointDir: join(dataDir, "consumers") }),
          scheduleOverrides: options.scheduleOverrides ?? {},
          objects,
          buckets,
        },
      )),
    );
    const resumedCycles = await resumeCycles(root, tableName);
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
      resumedCycles,
      generatedKeys: (["operator", "anm"] as const).filter(
        (role) => !{ operator: options.operatorKey, anm: options.anmKey }[role],
      ),
      alerts: topics.published,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A client of DynamoDB Local at `endpoint`, for `use`, destroyed after it. */
async function withLocalClient<T>(
  endpoint: string,
  use: (client: DynamoDBClient) => Promise<T>,
): Promise<T> {
  const client = new DynamoDBClient({
    region: LOCAL_REGION,
    endpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

/** The table from TABLE_SPEC (created once, its stream turned on), and its stream's ARN. */
function createTable(endpoint: string, tableName: string): Promise<{ streamArn: string }> {
  return withLocalClient(endpoint, (client) => ensureTable(client, TABLE_SPEC, tableName));
}

/** A shared DynamoDB Local's table, gone with the stack that made it. */
async function deleteTable(endpoint: string, tableName: string): Promise<void> {
  await withLocalClient(endpoint, (client) =>
    client.send(new DeleteTableCommand({ TableName: tableName })),
  );
}

/** The handlers' composition root, loaded the way the handlers load it (the same instance). */
async function handlersDeps(root: string) {
  return (await import(pathToFileURL(resolve(root, "functions/runtime/deps.ts")).href)) as {
    deps: typeof import("../../functions/runtime/deps").deps;
    clockSource: typeof import("../../functions/runtime/deps").clockSource;
  };
}

/**
 * The platform clock (D-199): the real time plus a constant offset, installed as the one clock
 * every handler reads; the local Step Functions endpoint reads the same one. Returns it.
 */
async function installClock(
  root: string,
  offsetMs: number,
): Promise<{ nowMs(): number; offsetMs(): number }> {
  if (!Number.isSafeInteger(offsetMs)) throw new Error(`invalid clock offset ${offsetMs}`);
  const { clockSource } = await handlersDeps(root);
  const clock = { nowMs: () => Date.now() + offsetMs, offsetMs: () => offsetMs };
  clockSource.current = clock;
  return clock;
}

/** Resume on start (D-201): the next attempt of every cycle whose workflow had not ended. */
async function resumeCycles(root: string, tableName: string): Promise<string[]> {
  const { deps } = await handlersDeps(root);
  const clients = (await import(
    pathToFileURL(resolve(root, "functions/runtime/clients.ts")).href
  )) as { dynamoDocumentClient: () => DynamoDBDocumentClient };
  const resumed: string[] = [];
  for (const cycleId of await liveCycleIds(clients.dynamoDocumentClient(), tableName)) {
    const { outcome, cycle } = await resumeCycle(deps, cycleId);
    if (outcome !== "resumed") continue;
    resumed.push(cycleId);
    process.stderr.write(
      `[resume] cycle ${cycleId} (${cycle?.status}) resumed as attempt ${cycle?.attempt}\n`,
    );
  }
  return resumed;
}

/** Every workflow's ASL on the local Step Functions endpoint, each Task run by its handler. */
async function startWorkflows(
  root: string,
  plan: LocalPlan,
  options: LocalStackOptions,
  clock: RegistryClock,
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
    const definition = JSON.parse(substituteAsl(aslText, substitutions));
    const timeout = options.workflowTimeoutOverrides?.[workflow.id];
    if (timeout !== undefined) definition.TimeoutSeconds = timeout;
    machines.push({
      name: workflow.name,
      definition,
      tasks,
      ...(options.waitTimeOverrides ? { waitTimeOverrides: options.waitTimeOverrides } : {}),
    });
  }
  const sfn = new LocalStepFunctions(machines, LOCAL_REGION, LOCAL_ACCOUNT, clock);
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
  root: string,
  options: LocalStackOptions,
): Promise<{ operator: string; anm: string }> {
  const { deps } = await handlersDeps(root);
  const keys = {
    operator: options.operatorKey || generateApiKey(),
    anm: options.anmKey || generateApiKey(),
  };
  for (const role of ["operator", "anm"] as const) {
    await deps.apiKeys.replaceBootstrapKey(
      newKeyRecord(hashApiKey(keys[role]), {
        role,
        principalId: role,
        createdAt: recordInstant(deps.clock.nowMs()),
        name: `local bootstrap ${role} key`,
      }),
    );
  }
  return keys;
}

/** The REST API: the routes through the same authorizer (built over them) and handlers. */
async function startApi(
  root: string,
  routes: readonly Route[],
  port: number,
  objects: ObjectRoute,
): Promise<ApiServer> {
  const handlers: Record<string, LambdaHandler<APIGatewayProxyEvent, APIGatewayProxyResult>> = {};
  for (const route of routes) handlers[route.id] = await loadHandler(root, route.entry);
  const authorizerModule = (await import(pathToFileURL(resolve(root, AUTHORIZER.entry)).href)) as {
    authorizerFor: (
      routes: readonly Route[],
    ) => LambdaHandler<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>;
  };
  const authorizer = authorizerModule.authorizerFor(routes);
  return startApiServer({ routes, handlers, authorizer, objects }, port);
}

/**
 * A runner per consumer: the stream runner over DynamoDB Local's stream, or a timer. The
 * environment of the handlers must be set first (the stack does it; a test process of its own
 * passes it on).
 */
export async function startConsumerRunners(
  root: string,
  consumers: readonly Consumer[],
  local: {
    endpoint: string;
    streamArn: string;
    /** Needed only by object-created consumers: the object route and bucket id → name. */
    objects?: ObjectRoute;
    buckets?: Readonly<Record<string, string>>;
    /** Delays before an object-created event's retries. @default 1000 and 2000 ms */
    objectEventRetryDelaysMs?: readonly number[];
    /** Needed only by execution-status consumers. */
    sfn?: LocalStepFunctions;
    stateMachineArns?: Readonly<Record<string, string>>;
    checkpointDir?: string;
    scheduleOverrides: Readonly<Record<string, number>>;
  },
): Promise<Running[]> {
  const log = (message: string) => process.stderr.write(`[consumers] ${message}\n`);
  const runners: Running[] = [];
  // D-233: the dead-letter consumers by the row whose dead letters they read.
  const deadLetterReaders = new Map<string, DeadLetterReader>();
  for (const consumer of consumers) {
    if (consumer.trigger.kind !== "dead-letter") continue;
    const handler = await loadHandler<never, unknown>(root, consumer.entry);
    deadLetterReaders.set(consumer.trigger.of, { consumer, handler });
  }
  for (const consumer of consumers) {
    const { trigger } = consumer;
    if (trigger.kind === "dead-letter") {
      if (!consumers.some((c) => c.id === trigger.of && c.trigger.kind === "object-created"))
        throw new Error(`${consumer.id} reads the dead letters of ${trigger.of}, not run here`);
      continue;
    }
    const handler = await loadHandler<never, unknown>(root, consumer.entry);
    if (trigger.kind === "object-created") {
      const bucketName = local.buckets?.[trigger.bucket];
      if (local.objects === undefined || bucketName === undefined)
        throw new Error(`${consumer.id} needs the local bucket ${trigger.bucket}`);
      runners.push(
        objectCreatedRunner(
          consumer,
          bucketName,
          handler,
          local.objects,
          local.objectEventRetryDelaysMs ?? [1000, 2000],
          log,
          deadLetterReaders.get(consumer.id),
        ),
      );
      continue;
    }
    if (trigger.kind === "execution-status") {
      if (local.sfn === undefined || local.stateMachineArns === undefined)
        throw new Error(`${consumer.id} needs the local Step Functions endpoint`);
      runners.push(
        executionStatusRunner(consumer, trigger, handler, local.sfn, local.stateMachineArns, log),
      );
      continue;
    }
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

/**
 * The row's timeout, as the cloud gives its function (default 60 s): the handlers' middy ends an
 * invocation at the context's deadline, so the local context must carry the row's own.
 */
const consumerTimeoutMs = (consumer: Consumer) => (consumer.timeoutSeconds ?? 60) * 1000;

/** The handler calls an event-driven runner has in flight; stopping waits for them. */
function inFlightCalls(): Running & {
  readonly stopped: boolean;
  track(call: Promise<void>): void;
} {
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  return {
    get stopped() {
      return stopped;
    },
    track(call) {
      inFlight.add(call);
      void call.finally(() => inFlight.delete(call));
    },
    stop: async () => {
      stopped = true;
      await Promise.allSettled([...inFlight]);
    },
  };
}

/**
 * D-134: an execution-status CONSUMER locally. The local Step Functions endpoint tells it when an
 * execution ends; for the row's machine and statuses it calls the handler with the event
 * EventBridge would send ("Step Functions Execution Status Change"), so the handler is the
 * cloud's, unchanged. Stopping waits for the calls in flight.
 */
function executionStatusRunner(
  consumer: Consumer,
  trigger: ExecutionStatusTrigger,
  handler: LambdaHandler<never, unknown>,
  sfn: LocalStepFunctions,
  stateMachineArns: Readonly<Record<string, string>>,
  log: (message: string) => void,
): Running {
  const machineArn = stateMachineArns[trigger.workflow];
  if (machineArn === undefined)
    throw new Error(`${consumer.id}: the local stack does not run workflow ${trigger.workflow}`);
  const calls = inFlightCalls();
  sfn.onExecutionEnded((execution) => {
    if (calls.stopped || execution.stateMachineArn !== machineArn) return;
    if (!(trigger.statuses as readonly string[]).includes(execution.status)) return;
    const call = Promise.resolve()
      .then(() =>
        handler(
          executionStatusEvent(execution) as never,
          lambdaContext(`bitrader-${consumer.id}`, consumerTimeoutMs(consumer)),
        ),
      )
      .then(
        () => undefined,
        (error: unknown) =>
          log(
            `${consumer.id}: handler failed (${error instanceof Error ? error.message : String(error)})`,
          ),
      );
    calls.track(call);
  });
  return calls;
}

/**
 * D-232: an object-created CONSUMER locally. The object route tells it when it has stored an
 * object; for the row's bucket it calls the handler with the event S3 sends to EventBridge
 * ("Object Created"), and calls it again after a failure as the cloud's retries do (at least
 * once: the handler is idempotent). Stopping waits for the calls in flight.
 */
function objectCreatedRunner(
  consumer: Consumer,
  bucketName: string,
  handler: LambdaHandler<never, unknown>,
  objects: ObjectRoute,
  retryDelaysMs: readonly number[],
  log: (message: string) => void,
  deadLetters: DeadLetterReader | undefined,
): Running {
  const calls = inFlightCalls();
  const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
  objects.onObjectCreated((created) => {
    if (calls.stopped || created.bucket !== bucketName) return;
    const event = objectCreatedEvent(created);
    const call = (async () => {
      for (let attempt = 0; ; attempt += 1) {
        try {
          await handler(
            event as never,
            lambdaContext(`bitrader-${consumer.id}`, consumerTimeoutMs(consumer)),
          );
          return;
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          const delay = retryDelaysMs[attempt];
          if (delay === undefined || calls.stopped) {
            log(`${consumer.id}: ${created.key} failed after ${attempt + 1} attempts (${reason})`);
            // D-233: the last attempt failed — the dead letter the cloud's on-failure
            // destination sends (not when the stack is stopping: that is no failure of the file).
            if (delay === undefined && deadLetters)
              await deliverDeadLetter(consumer, deadLetters, event, attempt + 1, error, log);
            return;
          }
          log(`${consumer.id}: ${created.key} failed (${reason}); retrying in ${delay} ms`);
          await sleep(delay);
        }
      }
    })();
    calls.track(call);
  });
  return calls;
}

/** A dead-letter CONSUMER and its handler (D-233). */
interface DeadLetterReader {
  readonly consumer: Consumer;
  readonly handler: LambdaHandler<never, unknown>;
}

/**
 * D-233: what Lambda's on-failure destination puts in the dead-letter queue when the last
 * asynchronous attempt of `of` raised, delivered to its dead-letter consumer as the SQS event
 * the queue's event source mapping sends; the letters it reports failed are given again once.
 */
async function deliverDeadLetter(
  of: Consumer,
  reader: DeadLetterReader,
  requestPayload: unknown,
  attempts: number,
  error: unknown,
  log: (message: string) => void,
): Promise<void> {
  const letter = {
    version: "1.0",
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId: randomUUID(),
      functionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:bitrader-${of.id}:$LATEST`,
      condition: "RetriesExhausted",
      approximateInvokeCount: attempts,
    },
    requestPayload,
    responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
    responsePayload: {
      errorType: error instanceof Error ? error.name : "Error",
      errorMessage: error instanceof Error ? error.message : String(error),
    },
  };
  const messageId = randomUUID();
  const event = {
    Records: [
      {
        messageId,
        receiptHandle: messageId,
        body: JSON.stringify(letter),
        attributes: {
          ApproximateReceiveCount: "1",
          SentTimestamp: String(Date.now()),
          SenderId: LOCAL_ACCOUNT,
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:bitrader-${of.id}-dead-letters`,
        awsRegion: LOCAL_REGION,
      },
    ],
  };
  for (let delivery = 1; delivery <= 2; delivery += 1) {
    try {
      const answer = (await reader.handler(
        event as never,
        lambdaContext(`bitrader-${reader.consumer.id}`, consumerTimeoutMs(reader.consumer)),
      )) as { batchItemFailures?: unknown[] } | undefined;
      if ((answer?.batchItemFailures ?? []).length === 0) return;
      log(`${reader.consumer.id}: the dead letter of ${of.id} was not recorded (try ${delivery})`);
    } catch (failure) {
      log(
        `${reader.consumer.id}: failed (${failure instanceof Error ? failure.message : String(failure)})`,
      );
    }
  }
}

/** The EventBridge event of an object created in a bucket, as S3 sends it. */
function objectCreatedEvent(created: ObjectCreated) {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Object Created",
    source: "aws.s3",
    account: LOCAL_ACCOUNT,
    time: new Date(created.atMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: LOCAL_REGION,
    resources: [`arn:aws:s3:::${created.bucket}`],
    detail: {
      version: "0",
      bucket: { name: created.bucket },
      object: { key: created.key, size: created.size, etag: created.etag, sequencer: randomUUID() },
      "request-id": randomUUID(),
      requester: LOCAL_ACCOUNT,
      "source-ip-address": "127.0.0.1",
      reason: "PutObject",
    },
  };
}

/** The EventBridge event of an execution's status change, as Step Functions sends it. */
function executionStatusEvent(execution: Execution) {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Step Functions Execution Status Change",
    source: "aws.states",
    account: LOCAL_ACCOUNT,
    time: new Date(execution.stopDate ?? Date.now()).toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: LOCAL_REGION,
    resources: [execution.executionArn],
    detail: {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate,
      stopDate: execution.stopDate ?? null,
      input: execution.input,
      output: execution.output ?? null,
      inputDetails: { included: true },
      outputDetails: execution.output === undefined ? null : { included: true },
      error: execution.error ?? null,
      cause: execution.cause ?? null,
    },
  };
}
