import { Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { AttributeType, StreamViewType, Table } from "aws-cdk-lib/aws-dynamodb";
import { Key } from "aws-cdk-lib/aws-kms";
import { Bucket } from "aws-cdk-lib/aws-s3";
import { Topic } from "aws-cdk-lib/aws-sns";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { DefinitionBody, Pass, StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { describe, expect, it } from "vitest";
import { CONSUMERS } from "../../functions/events/consumers";
import { GRANT_KINDS, GRANT_VARIABLES, type GrantKind, type Grants } from "../../functions/wiring";
import { WORKFLOWS } from "../../functions/workflow/workflows";
import { MarketFunction } from "../../lib/constructs/market-function";
import { LOCAL_GRANTS, localEnvironment, localPlan } from "../../lib/local/bindings";
import { DataStack } from "../../lib/stacks/data-stack";
import { MarketStack } from "../../lib/stacks/market-stack";
import { ECHO_WORKFLOW, SCHEDULE_CONSUMER, STREAM_CONSUMER } from "../fixtures/rows/rooms";
import { marketTemplates, testApp } from "../support/cdk-app";
import { roleStatements } from "../support/iam-statements";

/**
 * The cloud and the local stack read the same tables (WORKFLOWS, CONSUMERS, the grant kinds of
 * functions/wiring.ts); these tests fail when what `cdk synth` builds and what the local stack
 * runs (lib/local/bindings.ts) drift: the same workflows with the same tasks, the same consumers
 * with the same triggers, the same environment variables for the same grants.
 */
const env = { account: "123456789012", region: "eu-west-2" };
type Resources = Record<string, { Type: string; Properties: any }>;

/** Variables the house function sets on every function, besides those the grants set. */
const HOUSE_VARIABLES = [
  "NODE_OPTIONS",
  "POWERTOOLS_SERVICE_NAME",
  "POWERTOOLS_LOG_LEVEL",
  "USAGE_KEYS",
];

/** Every variable of every function of the templates (the market stack's and its workflows'). */
function cloudVariables(...templates: Template[]): string[] {
  const names = new Set<string>();
  for (const fn of templates.flatMap((t) =>
    Object.values(t.findResources("AWS::Lambda::Function")),
  ))
    for (const name of Object.keys(fn.Properties.Environment?.Variables ?? {}))
      if (!HOUSE_VARIABLES.includes(name)) names.add(name);
  return [...names].sort();
}

function localVariables(plan: ReturnType<typeof localPlan>): string[] {
  return Object.keys(
    localEnvironment(plan, {
      tableName: "bitrader",
      streamArn: "arn:aws:dynamodb:eu-west-2:000000000000:table/bitrader/stream/x",
      workflows: plan.workflows,
      stateMachineArns: Object.fromEntries(
        plan.workflows.map((w) => [w.id, `arn:aws:states:eu-west-2:0:stateMachine:${w.name}`]),
      ),
      buckets: { MeterUploads: "bitrader-meter-uploads" },
      topicArns: { Alarms: "arn:aws:sns:eu-west-2:000000000000:bitrader-alarms" },
    }),
  ).sort();
}

/** The placeholders a workflow's state machine substitutes, read from the workflows' stack. */
function substitutionsOf(stack: MarketStack, id: string): string[] {
  const machine = stack.workflows[id]!.stateMachine.node.defaultChild as never;
  const resources = Template.fromStack(stack.workflowsStack).toJSON().Resources as Resources;
  return Object.keys(
    resources[stack.workflowsStack.getLogicalId(machine)]!.Properties.DefinitionSubstitutions,
  ).sort();
}

describe("the product tables, in the cloud and on the local stack", () => {
  const { market, workflows, stacks } = marketTemplates();
  const plan = localPlan({});

  it("every WORKFLOWS row is one state machine with its tasks' placeholders, and runs locally", () => {
    expect(Object.keys(workflows.findResources("AWS::StepFunctions::StateMachine"))).toHaveLength(
      WORKFLOWS.length,
    );
    expect(market.findResources("AWS::StepFunctions::StateMachine")).toEqual({});
    expect(plan.workflows.map((w) => w.id)).toEqual(WORKFLOWS.map((w) => w.id));
    for (const workflow of WORKFLOWS)
      expect(substitutionsOf(stacks.market, workflow.id)).toEqual(
        workflow.tasks.map((t) => t.substitution).sort(),
      );
  });

  it("every CONSUMERS row is one function with its trigger, and runs locally", () => {
    const streams = CONSUMERS.filter((c) => c.trigger.kind === "stream").length;
    // A dead-letter consumer reads its queue through an event source mapping too (D-233).
    const deadLetters = CONSUMERS.filter((c) => c.trigger.kind === "dead-letter").length;
    expect(Object.keys(market.findResources("AWS::Lambda::EventSourceMapping"))).toHaveLength(
      streams + deadLetters,
    );
    expect(Object.keys(market.findResources("AWS::Events::Rule"))).toHaveLength(
      CONSUMERS.length - streams - deadLetters,
    );
    expect(plan.consumers.map((c) => c.id)).toEqual(CONSUMERS.map((c) => c.id));
  });

  it("the functions get exactly the variables the local stack sets for the same grants", () => {
    expect(cloudVariables(market, workflows)).toEqual(localVariables(plan));
  });

  it("the table has the stream stream consumers read", () => {
    marketTemplates().data.hasResourceProperties("AWS::DynamoDB::Table", {
      StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
    });
  });
});

describe("a second workflow and a consumer of each kind (fixture rows)", () => {
  const app = testApp();
  const data = new DataStack(app, "FixtureData", { env });
  const stack = new MarketStack(app, "FixtureMarket", {
    env,
    table: data.table,
    bucketNames: data.bucketNames,
    keys: data.keys,
    workflows: [...WORKFLOWS, ECHO_WORKFLOW],
    consumers: [...CONSUMERS, STREAM_CONSUMER, SCHEDULE_CONSUMER],
  });
  const template = Template.fromStack(stack);
  const workflowsTemplate = Template.fromStack(stack.workflowsStack);
  const plan = localPlan({
    workflows: [ECHO_WORKFLOW],
    consumers: [STREAM_CONSUMER, SCHEDULE_CONSUMER],
  });
  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as never);

  it("adds the workflow as one more state machine from its ASL file and row", () => {
    expect(
      Object.keys(workflowsTemplate.findResources("AWS::StepFunctions::StateMachine")),
    ).toHaveLength(WORKFLOWS.length + 1);
    expect(substitutionsOf(stack, "EchoRun")).toEqual(["EchoTaskFunctionArn"]);
    template.hasOutput("EchoRunArn", {});
  });

  it("maps the table's stream to the stream consumer, with its batch, retries and filter", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FunctionName: { Ref: logicalId(stack.consumers.RecordStreamEvents!.function.function) },
      EventSourceArn: Match.anyValue(),
      StartingPosition: "LATEST",
      BatchSize: 10,
      MaximumRetryAttempts: 3,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ["INSERT"],
              dynamodb: { Keys: { pk: { S: [{ prefix: "FIXTURE#" }] } } },
            }),
          },
        ],
      },
    });
  });

  it("invokes the schedule consumer from a rule on its rate", () => {
    template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(5 minutes)",
      Targets: [
        Match.objectLike({
          Arn: { "Fn::GetAtt": [logicalId(stack.consumers.RecordTicks!.function.function), "Arn"] },
        }),
      ],
    });
  });

  it("gives the stream consumer its stream and the workflow it starts; locally the same variables", () => {
    const resources = template.toJSON().Resources as Resources;
    const variables =
      resources[logicalId(stack.consumers.RecordStreamEvents!.function.function)]!.Properties
        .Environment.Variables;
    expect(Object.keys(variables)).toEqual(
      expect.arrayContaining(["TABLE_NAME", "TABLE_STREAM_ARN", "ECHO_RUN_ARN"]),
    );
    expect(cloudVariables(template, workflowsTemplate)).toEqual(localVariables(plan));
  });
});

describe("every grant kind (functions/wiring.ts)", () => {
  const scope = new Stack(testApp(), "Grants", { env });
  const table = new Table(scope, "T", {
    partitionKey: { name: "pk", type: AttributeType.STRING },
    stream: StreamViewType.NEW_AND_OLD_IMAGES,
  });
  const resources = {
    table,
    workflows: {
      W: {
        stateMachine: new StateMachine(scope, "SM", {
          definitionBody: DefinitionBody.fromChainable(new Pass(scope, "P")),
        }),
        arnVariable: "W_ARN",
      },
    },
    buckets: { Uploads: new Bucket(scope, "B") },
    queues: { Deliveries: new Queue(scope, "Q") },
    schedules: { name: "bitrader", roleArn: "arn:aws:iam::123456789012:role/scheduler" },
    topics: { Alarms: new Topic(scope, "Alarms") },
    keys: { Secrets: new Key(scope, "K", { enableKeyRotation: true }) },
  };
  /** One grant per kind and level, and what it must give: an action it allows and its variables. */
  const cases: Record<
    GrantKind,
    [level: string, grants: Grants, action: string, variables: string[]][]
  > = {
    table: [
      ["read", { table: "read" }, "dynamodb:Query", GRANT_VARIABLES.table()],
      ["readUpdate", { table: "readUpdate" }, "dynamodb:UpdateItem", GRANT_VARIABLES.table()],
      ["readWrite", { table: "readWrite" }, "dynamodb:PutItem", GRANT_VARIABLES.table()],
    ],
    stream: [["read", { stream: "read" }, "dynamodb:GetRecords", GRANT_VARIABLES.stream()]],
    workflow: [
      ["start", { workflow: { W: "start" } }, "states:StartExecution", ["W_ARN"]],
      ["read", { workflow: { W: "read" } }, "states:GetExecutionHistory", ["W_ARN"]],
    ],
    bucket: [
      ["read", { bucket: { Uploads: "read" } }, "s3:GetObject", GRANT_VARIABLES.bucket("Uploads")],
      [
        "write",
        { bucket: { Uploads: "write" } },
        "s3:PutObject",
        GRANT_VARIABLES.bucket("Uploads"),
      ],
      [
        "readWrite",
        { bucket: { Uploads: "readWrite" } },
        "s3:PutObject",
        GRANT_VARIABLES.bucket("Uploads"),
      ],
    ],
    queue: [
      [
        "send",
        { queue: { Deliveries: "send" } },
        "sqs:SendMessage",
        GRANT_VARIABLES.queue("Deliveries"),
      ],
      [
        "consume",
        { queue: { Deliveries: "consume" } },
        "sqs:ReceiveMessage",
        GRANT_VARIABLES.queue("Deliveries"),
      ],
    ],
    schedule: [
      ["manage", { schedule: "manage" }, "scheduler:CreateSchedule", GRANT_VARIABLES.schedule()],
    ],
    topic: [
      ["publish", { topic: { Alarms: "publish" } }, "sns:Publish", GRANT_VARIABLES.topic("Alarms")],
    ],
    key: [
      [
        "encrypt",
        { key: { Secrets: "encrypt" } },
        "kms:GenerateDataKey",
        GRANT_VARIABLES.key("Secrets"),
      ],
      ["decrypt", { key: { Secrets: "decrypt" } }, "kms:Decrypt", GRANT_VARIABLES.key("Secrets")],
      [
        "encryptDecrypt",
        { key: { Secrets: "encryptDecrypt" } },
        "kms:Decrypt",
        GRANT_VARIABLES.key("Secrets"),
      ],
    ],
  };
  const functions = Object.entries(cases).flatMap(([kind, levels]) =>
    levels.map(([level, grants, action, variables]) => ({
      kind,
      level,
      action,
      variables,
      grants,
      fn: new MarketFunction(scope, `${kind}-${level}`, {
        entry: "functions/http/handlers/get-health.ts",
        grants,
      }).grant(grants, resources),
    })),
  );
  const template = Template.fromStack(scope);
  const json = template.toJSON().Resources as Resources;

  it("covers every kind and level of the grant table", () => {
    for (const [kind, levels] of Object.entries(GRANT_KINDS))
      expect(cases[kind as GrantKind].map(([level]) => level).sort()).toEqual([...levels].sort());
  });

  it.each(functions.map((f) => [`${f.kind} ${f.level}`, f] as const))(
    "%s: allows what it says on its resource and sets its variables",
    (_, { fn, action, variables }) => {
      const roleId = scope.getLogicalId(fn.function.role!.node.defaultChild as never);
      const actions = roleStatements<{ Action: string | string[] }>(json, roleId).flatMap((s) =>
        [s.Action].flat(),
      );
      expect(actions).toContain(action);
      const props = json[scope.getLogicalId(fn.function.node.defaultChild as never)]!.Properties;
      expect(Object.keys(props.Environment.Variables)).toEqual(expect.arrayContaining(variables));
    },
  );

  it.each(functions.map((f) => [`${f.kind} ${f.level}`, f] as const))(
    "%s: the local stack sets the same variables, or says why it cannot",
    (_, { kind, grants, variables }) => {
      const provider = LOCAL_GRANTS[kind as GrantKind];
      const plan = { routes: [], workflows: [], consumers: [], grants: [grants] };
      const local = {
        tableName: "t",
        streamArn: "arn:s",
        workflows: [{ ...ECHO_WORKFLOW, id: "W", arnVariable: "W_ARN" }],
        stateMachineArns: { W: "arn:w" },
        buckets: { Uploads: "bitrader-uploads" },
        topicArns: { Alarms: "arn:t" },
      };
      if (typeof provider === "function")
        expect(Object.keys(localEnvironment(plan, local)).sort()).toEqual([...variables].sort());
      else expect(() => localEnvironment(plan, local)).toThrow(provider.unavailable);
    },
  );
});
