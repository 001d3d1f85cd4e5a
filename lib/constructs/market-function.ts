import { existsSync } from "node:fs";
import { join } from "node:path";
import { Arn, ArnFormat, Duration, RemovalPolicy, Stack, Token, Validations } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import {
  type AddToPrincipalPolicyResult,
  Effect,
  PolicyDocument,
  PolicyStatement,
  Role,
  type RoleProps,
  ServicePrincipal,
} from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { Architecture, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { CfnStateMachine, type IStateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import { TABLE_SPEC } from "../../functions/adapters/table-spec";
import { GRANT_VARIABLES, type Grants } from "../../functions/wiring";
import { WORKFLOWS } from "../../functions/workflow/workflows";
import { BUNDLE, bundleAliases, GRANT_SDK_PACKAGES } from "../bundling";
import { REPO_ROOT } from "../repo-root";

/** Environment names the constructs manage themselves (grants, USAGE_KEYS, local endpoints). */
const RESERVED_ENVIRONMENT = [
  ...GRANT_VARIABLES.table(),
  ...GRANT_VARIABLES.stream(),
  ...GRANT_VARIABLES.schedule(),
  ...WORKFLOWS.map((workflow) => workflow.arnVariable),
  "USAGE_KEYS",
  "DYNAMODB_ENDPOINT",
  "SFN_ENDPOINT",
  "SNS_ENDPOINT",
  "LOCAL_KEY_DIR",
  "WEBHOOK_ALLOW_LOCAL_HTTP",
  "AWS_REGION",
];
/** Bucket, queue, topic and key variables, whatever their id. */
const RESERVED_PATTERN =
  /^(BUCKET_[A-Z0-9_]+_NAME|QUEUE_[A-Z0-9_]+_URL|TOPIC_[A-Z0-9_]+_ARN|KEY_[A-Z0-9_]+_ARN)$/;

/** A WORKFLOWS row's state machine, and the variable that names it. */
export interface GrantedWorkflow {
  readonly stateMachine: IStateMachine;
  readonly arnVariable: string;
}

/** The platform's schedule group for one-off schedules, and the role schedules run as. */
export interface ScheduleGroup {
  readonly name: string;
  readonly roleArn: string;
}

/**
 * The resources a {@link Grants} declaration can name, by kind (functions/wiring.ts). A grant
 * whose resource is missing here is a wiring error, raised when the stack is built.
 */
export interface GrantResources {
  readonly table?: ITable;
  /** Workflow id (WORKFLOWS row) → its state machine. */
  readonly workflows?: Readonly<Record<string, GrantedWorkflow>>;
  readonly buckets?: Readonly<Record<string, IBucket>>;
  readonly queues?: Readonly<Record<string, IQueue>>;
  readonly schedules?: ScheduleGroup;
  /** Topic id → its SNS topic (`Alarms`: the operator's alarm topic). */
  readonly topics?: Readonly<Record<string, ITopic>>;
  /** KMS keys a `key` grant may name, by id. */
  readonly keys?: Readonly<Record<string, IKey>>;
}

/** DynamoDB actions per access level. Scan is never granted: every read goes by key or index. */
const TABLE_ACTIONS = {
  read: [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
  ],
  readUpdate: [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
    "dynamodb:UpdateItem",
  ],
  readWrite: [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
  ],
} as const;

export interface MarketFunctionProps {
  /**
   * The handler module, relative to the repository root, under `functions/`; it exports
   * `handler`. Comes from ROUTES, WORKFLOWS or CONSUMERS.
   */
  readonly entry: string;
  /**
   * What the function may touch (its ROUTES, WORKFLOWS or CONSUMERS row), as passed to
   * {@link MarketFunction.grant}: the bundle leaves out the SDK clients of the others (D-127).
   */
  readonly grants: Grants;
  /** @default a line naming the entry */
  readonly description?: string;
  /**
   * At most 15 minutes (Lambda's limit) and at most `maxTimeout`.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * The ceiling `timeout` is checked against: 29 s for functions behind API Gateway (its
   * integration timeout), so that a slow handler fails in Lambda rather than as a gateway 504.
   * @default Duration.minutes(15)
   */
  readonly maxTimeout?: Duration;
  /**
   * 128–10240 MB.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Extra environment. Names the grants set (TABLE_NAME, a workflow's ARN variable, …), USAGE_KEYS
   * and local-only names (DYNAMODB_ENDPOINT, SFN_ENDPOINT) are refused: use {@link MarketFunction.grant}.
   * @default none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/**
 * A role that keeps every statement granted to it in one inline policy of its own (D-230): the
 * grants read the same, and a function costs no separate AWS::IAM::Policy resource (the market
 * stack must stay within CloudFormation's 500 resources). The role is created with its
 * permissions, so the function (which needs the role) never starts without them.
 */
class InlinePolicyRole extends Role {
  private readonly grantsDocument: PolicyDocument;

  constructor(scope: Construct, id: string, props: RoleProps) {
    const grantsDocument = new PolicyDocument();
    super(scope, id, {
      ...props,
      inlinePolicies: { ...props.inlinePolicies, grants: grantsDocument },
    });
    this.grantsDocument = grantsDocument;
  }

  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.grantsDocument.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}

/**
 * The house Lambda function: Node.js 24 (the latest Lambda runtime) on arm64, bundled locally by esbuild (no Docker) as ESM
 * with the pinned AWS SDK inside, X-Ray tracing, JSON logs to its own log group, and access
 * granted only through {@link MarketFunction.grant} (least privilege, from the grants of ROUTES,
 * WORKFLOWS and CONSUMERS).
 */
export class MarketFunction extends Construct {
  readonly function: NodejsFunction;
  private readonly bundledFor: Grants;

  constructor(scope: Construct, id: string, props: MarketFunctionProps) {
    super(scope, id);
    validate(props);
    this.bundledFor = props.grants;
    const logGroup = new LogGroup(this, "Logs", {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role, allowed to write to its own log group only (instead of the managed
    // AWSLambdaBasicExecutionRole, which allows every log group).
    const role = new InlinePolicyRole(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `BiTraDER ${props.entry}`,
    });
    logGroup.grantWrite(role);
    Validations.of(this).acknowledge({
      id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
      reason:
        "Only X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords), which supports no resource-level permissions; everything else is granted on named resources.",
    });
    this.function = new NodejsFunction(this, "Function", {
      role,
      entry: join(REPO_ROOT, props.entry),
      handler: "handler",
      description: props.description ?? `BiTraDER ${props.entry}`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, "package-lock.json"),
      environment: {
        NODE_OPTIONS: "--enable-source-maps",
        POWERTOOLS_SERVICE_NAME: "bitrader",
        POWERTOOLS_LOG_LEVEL: "INFO",
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE.target,
        minify: BUNDLE.minify,
        sourceMap: true,
        bundleAwsSDK: true,
        mainFields: [...BUNDLE.mainFields],
        banner: BUNDLE.banner,
        // The SDK clients of grants the function does not have stay out of its bundle (D-127),
        // and so does the part of the credential chain Lambda never reaches (D-129).
        esbuildArgs: {
          "--alias": Object.entries(bundleAliases(props.grants)).map(
            ([name, path]) => `${name}=${path}`,
          ),
        },
      },
    });
  }

  /** Lets the function use the table with the given access, and tells it the table's name. */
  bindTable(table: ITable, access: keyof typeof TABLE_ACTIONS): this {
    const indexes = TABLE_SPEC.globalSecondaryIndexes.map(
      (index) => `${table.tableArn}/index/${index.indexName}`,
    );
    this.function.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...TABLE_ACTIONS[access]],
        resources: [table.tableArn, ...indexes],
      }),
    );
    this.function.addEnvironment(GRANT_VARIABLES.table()[0]!, table.tableName);
    return this;
  }

  /**
   * Lets the function use a workflow's state machine — `start`: start executions, read them back
   * and stop them (a superseded cycle); `read`: read executions only — and tells it the ARN.
   */
  bindWorkflow(workflow: GrantedWorkflow, access: "start" | "read"): this {
    const { stateMachineArn } = workflow.stateMachine;
    // A name fixed at synthesis (the market stack's workflows, D-154) spells the executions'
    // ARN itself; otherwise it is split from the state machine's ARN, which in another stack
    // is a reference to that stack's output and unknown until synthesis.
    const machine = workflow.stateMachine.node.defaultChild;
    const fixedName =
      machine instanceof CfnStateMachine && !Token.isUnresolved(machine.stateMachineName)
        ? machine.stateMachineName
        : undefined;
    const name =
      fixedName ?? Arn.split(stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
    const executions = Stack.of(this).formatArn({
      service: "states",
      resource: "execution",
      resourceName: `${name}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const statements = [
      new PolicyStatement({
        actions: ["states:DescribeExecution", "states:GetExecutionHistory"],
        resources: [executions],
      }),
    ];
    if (access === "start") {
      statements.push(
        new PolicyStatement({ actions: ["states:StartExecution"], resources: [stateMachineArn] }),
        // R-IN-3: a superseding look-ahead stops the earlier cycle's execution.
        new PolicyStatement({ actions: ["states:StopExecution"], resources: [executions] }),
      );
    }
    for (const statement of statements) this.function.addToRolePolicy(statement);
    Validations.of(this).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResource(Stack.of(this).resolve(executions))}]`,
      reason:
        "Execution names are chosen when each run starts, so reading (and stopping) an execution can only be granted on this one state machine's executions (execution:<stateMachineName>:*), the narrowest ARN Step Functions supports for them.",
    });
    this.function.addEnvironment(workflow.arnVariable, stateMachineArn);
    return this;
  }

  /**
   * Lets the function read the table's stream (the records of its changes) and tells it the
   * stream's ARN. ListStreams has no resource-level permission, so it is granted on `*`.
   */
  bindStream(table: ITable): this {
    const streamArn = table.tableStreamArn;
    if (streamArn === undefined) throw new Error(`${this.node.path}: the table has no stream`);
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
        resources: [streamArn],
      }),
    );
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ["dynamodb:ListStreams"], resources: ["*"] }),
    );
    Validations.of(this).acknowledge({
      id: "AwsSolutions::AwsSolutions-IAM5[Action::dynamodb:ListStreams]",
      reason:
        "dynamodb:ListStreams supports no resource-level permission; the records themselves are read from this table's stream only.",
    });
    const [variable] = GRANT_VARIABLES.stream();
    this.function.addEnvironment(variable!, streamArn);
    return this;
  }

  /**
   * Lets the function get (`read`), put (`write`) or both objects of one bucket, and tells it the
   * bucket's name. Only object actions on this bucket's objects: no listing, no bucket settings,
   * no deletes (an upload is kept as received).
   */
  bindBucket(bucket: IBucket, id: string, access: "read" | "write" | "readWrite"): this {
    const objects = bucket.arnForObjects("*");
    const actions = [
      ...(access !== "write" ? ["s3:GetObject"] : []),
      ...(access !== "read" ? ["s3:PutObject"] : []),
    ];
    this.function.addToRolePolicy(new PolicyStatement({ actions, resources: [objects] }));
    Validations.of(this).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResource(Stack.of(this).resolve(objects))}]`,
      reason:
        "Object keys are the upload ids issued at run time, so object access can only be granted on this one bucket's objects (<bucket ARN>/*); no bucket-level or list action is granted.",
    });
    this.function.addEnvironment(GRANT_VARIABLES.bucket(id)[0]!, bucket.bucketName);
    return this;
  }

  /** Applies a grant declaration (functions/wiring.ts); a grant without its resource is a wiring error. */
  grant(grants: Grants, resources: GrantResources): this {
    // The bundle was built for the grants of the props: a kind granted only now has no client.
    for (const kind of Object.keys(GRANT_SDK_PACKAGES) as (keyof typeof GRANT_SDK_PACKAGES)[])
      if (grants[kind] !== undefined && this.bundledFor[kind] === undefined)
        throw new Error(
          `MarketFunction ${this.node.path}: a ${kind} grant must be in its props too (the bundle leaves out the clients of grants it does not have)`,
        );
    if (grants.table !== undefined)
      this.bindTable(this.need(resources.table, "the table"), grants.table);
    if (grants.stream !== undefined) this.bindStream(this.need(resources.table, "the table"));
    for (const [id, access] of Object.entries(grants.workflow ?? {}))
      this.bindWorkflow(this.need(resources.workflows?.[id], `the state machine ${id}`), access);
    for (const [id, access] of Object.entries(grants.bucket ?? {}))
      this.bindBucket(this.need(resources.buckets?.[id], `the bucket ${id}`), id, access);
    for (const [id, access] of Object.entries(grants.queue ?? {})) {
      const queue = this.need(resources.queues?.[id], `the queue ${id}`);
      if (access === "send") queue.grantSendMessages(this.function);
      else queue.grantConsumeMessages(this.function);
      this.function.addEnvironment(GRANT_VARIABLES.queue(id)[0]!, queue.queueUrl);
    }
    for (const id of Object.keys(grants.topic ?? {})) {
      const topic = this.need(resources.topics?.[id], `the topic ${id}`);
      topic.grantPublish(this.function);
      this.function.addEnvironment(GRANT_VARIABLES.topic(id)[0]!, topic.topicArn);
    }
    for (const [id, access] of Object.entries(grants.key ?? {})) {
      const key = this.need(resources.keys?.[id], `the key ${id}`);
      // Data keys only: GenerateDataKey to seal, Decrypt to open; never the key's policy.
      if (access === "encrypt" || access === "encryptDecrypt")
        this.function.addToRolePolicy(
          new PolicyStatement({ actions: ["kms:GenerateDataKey"], resources: [key.keyArn] }),
        );
      if (access === "decrypt" || access === "encryptDecrypt")
        this.function.addToRolePolicy(
          new PolicyStatement({ actions: ["kms:Decrypt"], resources: [key.keyArn] }),
        );
      this.function.addEnvironment(GRANT_VARIABLES.key(id)[0]!, key.keyArn);
    }
    if (grants.schedule !== undefined) {
      const group = this.need(resources.schedules, "the schedule group");
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: [
            "scheduler:CreateSchedule",
            "scheduler:UpdateSchedule",
            "scheduler:DeleteSchedule",
            "scheduler:GetSchedule",
          ],
          resources: [
            Stack.of(this).formatArn({
              service: "scheduler",
              resource: "schedule",
              resourceName: `${group.name}/*`,
            }),
          ],
        }),
      );
      this.function.addToRolePolicy(
        new PolicyStatement({ actions: ["iam:PassRole"], resources: [group.roleArn] }),
      );
      const [name, role] = GRANT_VARIABLES.schedule();
      this.function.addEnvironment(name!, group.name);
      this.function.addEnvironment(role!, group.roleArn);
    }
    return this;
  }

  private need<T>(resource: T | undefined, what: string): T {
    if (resource === undefined) throw new Error(`${this.node.path}: needs ${what}`);
    return resource;
  }
}

function validate(props: MarketFunctionProps): void {
  // test/fixtures/ holds the fixture rows the infra tests synthesize (never a product table).
  if (!/^(functions|test\/fixtures)\/[A-Za-z0-9/_-]+\.ts$/.test(props.entry)) {
    throw new Error(
      `MarketFunction: entry must be a .ts file under functions/, got ${props.entry}`,
    );
  }
  if (!existsSync(join(REPO_ROOT, props.entry))) {
    throw new Error(`MarketFunction: entry ${props.entry} does not exist`);
  }
  const timeout = props.timeout ?? Duration.seconds(10);
  const maxTimeout = props.maxTimeout ?? Duration.minutes(15);
  if (timeout.toSeconds() < 1 || timeout.toSeconds() > Math.min(maxTimeout.toSeconds(), 900)) {
    throw new Error(
      `MarketFunction: timeout must be 1 s to ${Math.min(maxTimeout.toSeconds(), 900)} s, got ${timeout.toSeconds()} s`,
    );
  }
  const memory = props.memorySize ?? 512;
  if (!Number.isInteger(memory) || memory < 128 || memory > 10_240) {
    throw new Error(`MarketFunction: memorySize must be 128-10240 MB, got ${memory}`);
  }
  const reserved = Object.keys(props.environment ?? {}).filter(
    (name) => RESERVED_ENVIRONMENT.includes(name) || RESERVED_PATTERN.test(name),
  );
  if (reserved.length > 0) {
    throw new Error(`MarketFunction: environment may not set ${reserved.join(", ")}`);
  }
}

/**
 * A resolved CloudFormation value written the way cdk-nag names it in a finding (`Ref` as
 * `<Name>`, `Fn::Join` joined, anything else as JSON), so that an acknowledgement names exactly
 * the resource its reason is about.
 */
function nagResource(value: unknown): string {
  if (typeof value === "string") return value.replace(/\$\{/g, "<").replace(/\}/g, ">");
  if (typeof value === "object" && value !== null) {
    const node = value as Record<string, unknown>;
    if (Array.isArray(node["Fn::Join"])) {
      const [delimiter, items] = node["Fn::Join"] as [string, unknown[]];
      return items.map(nagResource).join(delimiter);
    }
    if (node.Ref !== undefined) return `<${nagResource(node.Ref)}>`;
    if (typeof node["Fn::ImportValue"] === "string") return node["Fn::ImportValue"];
  }
  return JSON.stringify(value);
}
