import { readFileSync } from "node:fs";
import { resolve } from "node:path";
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
import { TABLE_SPEC } from "../../functions/adapters/table-spec";
import { generateApiKey, hashApiKey } from "../../functions/http/auth/api-keys";
import { AUTHORIZER, ROUTES, type Route } from "../../functions/http/routes";
import { TASKS, WORKFLOW } from "../../functions/workflow/tasks";
import { aslPlaceholders, substituteAsl } from "../asl-placeholders";
import { type ApiServer, startApiServer } from "./api-server";
import { type DynamoDbLocal, startDynamoDbLocal } from "./dynamodb-local";
import { type LambdaHandler, LOCAL_ACCOUNT, LOCAL_REGION, loadHandler } from "./lambda-context";
import { LocalStepFunctions } from "./step-functions";

/**
 * The whole platform on one machine (api.md, "The local stack"): DynamoDB Local → the table
 * from TABLE_SPEC → operator/ANM keys → the local Step Functions endpoint over the ASL → the
 * local REST API over ROUTES. Used by `bin/local.ts` and by the integration tests.
 *
 * The handlers run in this process and read their environment once, on first use; this
 * function sets that environment before any handler runs, so start one stack per process.
 */
export interface LocalStackOptions {
  /** Repository root: where ROUTES/TASKS entries and the ASL files are. */
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
  /** Wait state → milliseconds instead of its real wait (tests). */
  readonly waitTimeOverrides?: Readonly<Record<string, number>>;
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
  readonly stateMachineArn: string;
  readonly keys: { readonly operator: string; readonly anm: string };
  /** Which of the keys were generated (not given). */
  readonly generatedKeys: readonly ("operator" | "anm")[];
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const root = resolve(options.root);
  const dataDir = resolve(root, options.dataDir ?? ".local");
  const dynamo: DynamoDbLocal = await startDynamoDbLocal({ inMemory: options.inMemory, dataDir });
  let sfn: LocalStepFunctions | undefined;
  let api: ApiServer | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await api?.close();
      await sfn?.close();
      await dynamo.stop();
    })();
    return stopping;
  };

  try {
    const tableName = TABLE_SPEC.name;
    const client = new DynamoDBClient({
      region: LOCAL_REGION,
      endpoint: dynamo.endpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    await ensureTable(client, TABLE_SPEC, tableName);
    client.destroy();

    // Step Functions: the same ASL, each Task run by its in-process handler.
    const aslText = readFileSync(resolve(root, WORKFLOW.definitionFile), "utf8");
    const substitutions = Object.fromEntries(
      TASKS.map((task) => [
        task.substitution,
        `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:bitrader-${task.state}`,
      ]),
    );
    const missing = aslPlaceholders(aslText).filter((name) => !(name in substitutions));
    if (missing.length > 0)
      throw new Error(`ASL placeholders without a task: ${missing.join(", ")}`);
    const tasks: Record<string, LambdaHandler> = {};
    for (const task of TASKS) {
      const handler = await loadHandler(root, task.entry);
      tasks[task.state] = options.wrapTask ? options.wrapTask(task.state, handler) : handler;
    }
    sfn = new LocalStepFunctions([
      {
        name: WORKFLOW.name,
        definition: JSON.parse(substituteAsl(aslText, substitutions)),
        tasks,
        ...(options.waitTimeOverrides ? { waitTimeOverrides: options.waitTimeOverrides } : {}),
      },
    ]);
    const sfnEndpoint = await sfn.listen(options.sfnPort ?? 0);
    const stateMachineArn = sfn.stateMachineArn(WORKFLOW.name);

    // The environment the handlers read once (functions/runtime/env.ts).
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      SFN_ENDPOINT: sfnEndpoint,
      STATE_MACHINE_ARN: stateMachineArn,
    });

    if (options.instrumentDynamo) {
      // Loaded the way the handlers were, so this is the very client instance they use.
      const clients = (await import(
        pathToFileURL(resolve(root, "functions/runtime/clients.ts")).href
      )) as { dynamoDocumentClient: () => DynamoDBDocumentClient };
      options.instrumentDynamo(clients.dynamoDocumentClient());
    }

    // Operator and ANM keys: given, or generated; stored hashed like any other key.
    const { deps } = await import("../../functions/runtime/deps");
    const given = { operator: options.operatorKey, anm: options.anmKey };
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

    // The REST API: ROUTES through the same authorizer and handlers.
    const routes = [...ROUTES, ...(options.extraRoutes ?? [])];
    const handlers: Record<string, LambdaHandler<APIGatewayProxyEvent, APIGatewayProxyResult>> = {};
    for (const route of routes) handlers[route.id] = await loadHandler(root, route.entry);
    // The same authorizer; with extra routes, built over the extended route table.
    const authorizerModule = (await import(
      pathToFileURL(resolve(root, AUTHORIZER.entry)).href
    )) as {
      authorizerFor: (
        routes: readonly Route[],
      ) => LambdaHandler<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>;
    };
    const authorizer = authorizerModule.authorizerFor(routes);
    api = await startApiServer({ routes, handlers, authorizer }, options.port ?? 0);

    return {
      url: api.url,
      sfnEndpoint,
      dynamoDbEndpoint: dynamo.endpoint,
      dynamoDbPid: dynamo.pid,
      tableName,
      stateMachineArn,
      keys,
      generatedKeys: (["operator", "anm"] as const).filter((role) => !given[role]),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
