import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type App, type CfnResource, Stack } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { ROLES } from "../../functions/core/access/roles";
import { CONSUMERS } from "../../functions/events/consumers";
import { GATEWAY_PROBLEMS } from "../../functions/http/gateway-responses";
import { ROUTES } from "../../functions/http/routes";
import type { Grants } from "../../functions/wiring";
import { DAY_AHEAD_CYCLE as WORKFLOW, WORKFLOWS } from "../../functions/workflow/workflows";
import { aslPlaceholders } from "../../lib/asl-placeholders";
import type { MarketFunction } from "../../lib/constructs/market-function";
import { REPO_ROOT } from "../../lib/repo-root";
import { marketTemplates } from "../support/cdk-app";
import { allStatements, roleStatements } from "../support/iam-statements";

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const { market, workflows, alarms, stacks } = marketTemplates();
const TASKS = WORKFLOW.tasks;
type Resources = Record<string, { Type: string; Properties: any }>;
const marketResources = market.toJSON().Resources as Resources;
const workflowResources = workflows.toJSON().Resources as Resources;
/**
 * The market stack's resources and its workflows' nested stack's (D-154), by logical id: each
 * is unique in its template, and the two templates share none (checked below), so the tests
 * read a function's role and policies wherever the function is.
 */
const resources: Resources = { ...marketResources, ...workflowResources };
const logicalId = (construct: { node: { defaultChild?: unknown } }) => {
  const resource = construct.node.defaultChild as CfnResource;
  return Stack.of(resource).getLogicalId(resource);
};
const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement granted to a function's role. */
function statementsOf(fn: MarketFunction): Statement[] {
  return roleStatements<Statement>(resources, logicalId(fn.function.role as never));
}
const actionsOf = (fn: MarketFunction) =>
  statementsOf(fn).flatMap((statement) => list(statement.Action));

describe("the REST API", () => {
  const authorizers = market.findResources("AWS::ApiGateway::Authorizer");
  const authorizerId = Object.keys(authorizers)[0];

  it("has exactly one method per ROUTES entry", () => {
    expect(Object.keys(market.findResources("AWS::ApiGateway::Method"))).toHaveLength(
      ROUTES.length,
    );
  });

  it.each(ROUTES.map((route) => [route.id, route] as const))(
    "%s: its method, path, function and authorizer",
    (id, route) => {
      const method = stacks.market.api.methods[id]!;
      expect(method.resource.path).toBe(route.path);
      const properties = resources[logicalId(method)]!.Properties;
      expect(properties.HttpMethod).toBe(route.method);
      expect(properties.OperationName).toBe(id);
      expect(JSON.stringify(properties.Integration.Uri)).toContain(
        logicalId(stacks.market.api.functions[id]!.function),
      );
      if (route.roles === "none") {
        expect(properties.AuthorizationType).toBe("NONE");
        expect(properties.AuthorizerId).toBeUndefined();
        expect(properties.ApiKeyRequired).toBeFalsy();
      } else {
        expect(properties.AuthorizationType).toBe("CUSTOM");
        expect(properties.AuthorizerId).toEqual({ Ref: authorizerId });
        expect(properties.ApiKeyRequired).toBe(true);
      }
    },
  );

  it("authorizes with one REQUEST authorizer on the x-api-key header, uncached", () => {
    expect(Object.keys(authorizers)).toHaveLength(1);
    market.hasResourceProperties("AWS::ApiGateway::Authorizer", {
      Type: "REQUEST",
      IdentitySource: "method.request.header.x-api-key",
      AuthorizerResultTtlInSeconds: 0,
    });
  });

  it("takes the usage-plan key from the authorizer, with one throttled plan per role", () => {
    market.hasResourceProperties("AWS::ApiGateway::RestApi", { ApiKeySourceType: "AUTHORIZER" });
    const plans = Object.values(market.findResources("AWS::ApiGateway::UsagePlan"));
    expect(plans.map((plan) => plan.Properties.UsagePlanName).sort()).toEqual(
      ROLES.map((role) => `bitrader-${role}`).sort(),
    );
    for (const plan of plans) {
      expect(plan.Properties.Throttle.RateLimit).toBeGreaterThan(0);
      expect(plan.Properties.Throttle.BurstLimit).toBeGreaterThan(0);
    }
    expect(Object.keys(market.findResources("AWS::ApiGateway::UsagePlanKey"))).toHaveLength(
      ROLES.length,
    );
  });

  it("answers its own errors as problem+json", () => {
    for (const spec of Object.values(GATEWAY_PROBLEMS)) {
      market.hasResourceProperties("AWS::ApiGateway::GatewayResponse", {
        ResponseType: spec.responseType,
        StatusCode: String(spec.status),
        ResponseParameters: {
          "gatewayresponse.header.Content-Type": "'application/problem+json'",
        },
      });
    }
  });

  it("traces with X-Ray, logs access as JSON and throttles the stage", () => {
    market.hasResourceProperties("AWS::ApiGateway::Stage", {
      StageName: "v1",
      TracingEnabled: true,
      AccessLogSetting: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp("authorizer.principalId"),
      },
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          LoggingLevel: "ERROR",
          ThrottlingRateLimit: 100,
          ThrottlingBurstLimit: 200,
        }),
      ]),
    });
  });
});

describe("the day-ahead cycle state machine", () => {
  const machines = workflows.findResources("AWS::StepFunctions::StateMachine");
  const properties = machines[logicalId(stacks.market.workflow.stateMachine)]?.Properties;
  // DefinitionBody.fromFile ships the ASL as a file asset; read the staged copy.
  const definition = readFileSync(
    join((stacks.market.node.root as App).outdir, `asset.${properties.DefinitionS3Location.Key}`),
    "utf8",
  );

  it("is one Standard state machine from the ASL file, named after the stack and the workflow", () => {
    expect(Object.keys(machines)).toHaveLength(WORKFLOWS.length);
    expect(properties.StateMachineType).toBe("STANDARD");
    expect(properties.StateMachineName).toBe(`${stacks.market.stackName}-${WORKFLOW.id}`);
    const file = readFileSync(join(REPO_ROOT, WORKFLOW.definitionFile), "utf8");
    expect(JSON.parse(definition)).toEqual(JSON.parse(file));
  });

  it("substitutes exactly the TASKS placeholders, each with its task's function", () => {
    expect(aslPlaceholders(definition)).toEqual(TASKS.map((task) => task.substitution).sort());
    expect(Object.keys(properties.DefinitionSubstitutions).sort()).toEqual(
      TASKS.map((task) => task.substitution).sort(),
    );
    for (const task of TASKS) {
      expect(properties.DefinitionSubstitutions[task.substitution]).toEqual({
        "Fn::GetAtt": [logicalId(stacks.market.workflow.functions[task.state]!.function), "Arn"],
      });
    }
  });

  it("logs ALL and traces with X-Ray", () => {
    expect(properties.LoggingConfiguration.Level).toBe("ALL");
    expect(properties.TracingConfiguration).toEqual({ Enabled: true });
  });

  it("may invoke the task functions, by unqualified ARN, and nothing else", () => {
    const roleId = properties.RoleArn["Fn::GetAtt"][0];
    const statements = roleStatements<Statement>(resources, roleId);
    const invoke = statements.filter((statement) =>
      list(statement.Action).includes("lambda:InvokeFunction"),
    );
    expect(invoke).toHaveLength(1);
    expect(list(invoke[0]!.Resource)).toEqual(
      TASKS.map((task) => ({
        "Fn::GetAtt": [logicalId(stacks.market.workflow.functions[task.state]!.function), "Arn"],
      })),
    );
  });
});

describe("the functions", () => {
  const functions = [market, workflows].flatMap((t) =>
    Object.values(t.findResources("AWS::Lambda::Function")),
  );

  it("all run Node.js 24 on arm64 with X-Ray tracing", () => {
    expect(functions).toHaveLength(
      ROUTES.length + WORKFLOWS.reduce((n, w) => n + w.tasks.length, 0) + CONSUMERS.length + 1,
    );
    for (const fn of functions) {
      expect(fn.Properties.Runtime).toBe("nodejs24.x");
      expect(fn.Properties.Architectures).toEqual(["arm64"]);
      expect(fn.Properties.TracingConfig).toEqual({ Mode: "Active" });
    }
  });

  it("use their own roles, with no AWS managed policy", () => {
    for (const role of [market, workflows].flatMap((t) =>
      Object.values(t.findResources("AWS::IAM::Role")),
    )) {
      const managed = JSON.stringify(role.Properties.ManagedPolicyArns ?? []);
      if (managed.includes("AmazonAPIGatewayPushToCloudWatchLogs")) continue; // API Gateway's account role
      expect(role.Properties.ManagedPolicyArns ?? []).toEqual([]);
    }
  });
});

describe("least privilege", () => {
  const statements = allStatements<Statement>(resources);

  it("grants no service-wide wildcard action and never dynamodb:Scan", () => {
    for (const statement of statements) {
      for (const action of list(statement.Action)) {
        expect(action).not.toMatch(/(^\*$|:\*$)/);
        expect(action).not.toBe("dynamodb:Scan");
      }
    }
  });

  it("grants on Resource * only what supports no resource-level permission (X-Ray, log delivery, ListStreams)", () => {
    for (const statement of statements.filter((s) => list(s.Resource).includes("*"))) {
      for (const action of list(statement.Action)) {
        expect(action).toMatch(
          /^(xray:|dynamodb:ListStreams$|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups))/,
        );
      }
    }
  });

  it("gives the authorizer read access to the table and only the update of D-197 (no put, no delete)", () => {
    const authorizer = stacks.market.api.authorizerFunction!;
    const dynamo = actionsOf(authorizer).filter((action) => action.startsWith("dynamodb:"));
    expect(dynamo.sort()).toEqual(
      [
        "dynamodb:BatchGetItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
      ].sort(),
    );
  });

  it.each([...ROUTES.map((route) => [route.id, route.grants] as const)])(
    "gives route %s exactly what it declares",
    (id, grants) => {
      const actions = actionsOf(stacks.market.api.functions[id]!);
      const touchesTable = actions.some((action) => action.startsWith("dynamodb:"));
      const touchesWorkflow = actions.some((action) => action.startsWith("states:"));
      expect(touchesTable).toBe("table" in grants);
      expect(touchesWorkflow).toBe("workflow" in grants);
      if (!("table" in grants) || grants.table === "read") {
        expect(actions).not.toEqual(expect.arrayContaining(["dynamodb:PutItem"]));
      }
    },
  );

  it.each(TASKS.map((task) => [task.state, task.grants] as const))(
    "gives task %s exactly what it declares",
    (state, grants) => {
      const actions = actionsOf(stacks.market.workflow.functions[state]!);
      expect(actions.some((action) => action.startsWith("dynamodb:"))).toBe("table" in grants);
      expect(actions.some((action) => action.startsWith("states:"))).toBe("workflow" in grants);
    },
  );

  it.each(
    ROUTES.filter((route) => "workflow" in route.grants).map((route) => [route.id, route] as const),
  )(
    "lets route %s read the executions of its workflow's state machine by its name",
    (id, route) => {
      const names = Object.fromEntries(
        Object.entries(stacks.market.workflows).map(([workflowId, w]) => [
          workflowId,
          workflowResources[logicalId(w.stateMachine)]!.Properties.StateMachineName as string,
        ]),
      );
      const grants: Grants = route.grants;
      for (const workflowId of Object.keys(grants.workflow ?? {})) {
        const reads = statementsOf(stacks.market.api.functions[id]!).filter((s) =>
          list(s.Action).includes("states:DescribeExecution"),
        );
        expect(reads).toHaveLength(1);
        expect(JSON.stringify(reads[0]!.Resource)).toContain(`:execution:${names[workflowId]}:*`);
      }
    },
  );

  it("lets each function write only to its own log group", () => {
    for (const fn of [
      ...Object.values(stacks.market.api.functions),
      ...Object.values(stacks.market.workflow.functions),
    ]) {
      const logs = statementsOf(fn).filter((s) =>
        list(s.Action).some((a) => a.startsWith("logs:")),
      );
      expect(logs).toHaveLength(1);
      expect(JSON.stringify(logs[0]!.Resource)).toContain(logicalId(fn.function.logGroup as never));
    }
  });
});

describe("the meter upload consumer (D-232)", () => {
  const consumer = stacks.market.consumers.MeterUploadReceived!;
  const fnId = logicalId(consumer.function.function);

  it("runs from an EventBridge rule on the upload bucket's Object Created events, minutes long", () => {
    const rule = resources[logicalId(consumer.rule!)]!;
    expect(rule.Type).toBe("AWS::Events::Rule");
    const pattern = rule.Properties.EventPattern;
    expect(pattern.source).toEqual(["aws.s3"]);
    expect(pattern["detail-type"]).toEqual(["Object Created"]);
    expect(JSON.stringify(pattern.detail.bucket.name)).toContain("bitrader-meter-uploads-");
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: { "Fn::GetAtt": [fnId, "Arn"] },
        RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 8 }),
      }),
    ]);
    const fn = resources[fnId]!;
    expect(fn.Properties.Timeout).toBe(900);
    expect(fn.Properties.MemorySize).toBe(3008);
  });

  it("reads the bucket's objects and reads and writes the table, nothing else (and sends its dead letters)", () => {
    const actions = actionsOf(consumer.function);
    const s3 = actions.filter((a) => a.startsWith("s3:"));
    expect(s3.length).toBeGreaterThan(0);
    for (const action of s3) expect(action).toMatch(/^s3:Get/);
    const others = actions.filter(
      (a) => !/^(s3:|dynamodb:|xray:|logs:|sqs:)/.test(a) && a !== "kms:Decrypt",
    );
    expect(others).toEqual([]);
    // sqs: only to send to its own dead-letter queue (the on-failure destination, D-233).
    const dlqId = logicalId(consumer.deadLetterQueue!);
    for (const statement of statementsOf(consumer.function).filter((s) =>
      list(s.Action).some((a) => a.startsWith("sqs:")),
    )) {
      expect(list(statement.Action).every((a) => /^sqs:(SendMessage|GetQueue)/.test(a))).toBe(true);
      expect(statement.Resource).toEqual({ "Fn::GetAtt": [dlqId, "Arn"] });
    }
    expect(actions).not.toContain("s3:PutObject");
    expect(actions.some((a) => a.startsWith("states:") || a.startsWith("sns:"))).toBe(false);
    expect(actions).toEqual(expect.arrayContaining(["dynamodb:BatchWriteItem"]));
  });
});

describe("an upload that fails every attempt ends in a dead-letter queue (D-233)", () => {
  const receiver = stacks.market.consumers.MeterUploadReceived!;
  const reader = stacks.market.consumers.MeterUploadFailed!;
  const queue = receiver.deadLetterQueue!;
  const queueId = logicalId(queue);
  const receiverId = logicalId(receiver.function.function);

  it("is one SQS queue, encrypted, that refuses plain HTTP", () => {
    const q = resources[queueId]!;
    expect(q.Type).toBe("AWS::SQS::Queue");
    expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    expect(q.Properties.MessageRetentionPeriod).toBe(14 * 86_400);
    const policies = Object.values(resources).filter(
      (r) =>
        r.Type === "AWS::SQS::QueuePolicy" && JSON.stringify(r.Properties.Queues).includes(queueId),
    );
    expect(policies).toHaveLength(1);
    expect(policies[0]!.Properties.PolicyDocument.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: "Deny",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
        // The rule may send the events it could not deliver.
        expect.objectContaining({
          Effect: "Allow",
          Action: "sqs:SendMessage",
          Principal: { Service: "events.amazonaws.com" },
        }),
      ]),
    );
  });

  it("takes the rule target's undeliverable events: a retry policy and the queue as its dead-letter queue", () => {
    const rule = resources[logicalId(receiver.rule!)]!;
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: { "Fn::GetAtt": [receiverId, "Arn"] },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
        DeadLetterConfig: { Arn: { "Fn::GetAtt": [queueId, "Arn"] } },
      }),
    ]);
  });

  it("takes the events the function failed on every attempt: its asynchronous retries end in the queue", () => {
    const configs = Object.values(resources).filter(
      (r) =>
        r.Type === "AWS::Lambda::EventInvokeConfig" &&
        JSON.stringify(r.Properties.FunctionName).includes(receiverId),
    );
    expect(configs).toHaveLength(1);
    expect(configs[0]!.Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": [queueId, "Arn"] } } },
    });
  });

  it("is read by the MeterUploadFailed consumer, which writes the table and alerts on the topic", () => {
    const readerId = logicalId(reader.function.function);
    const mappings = Object.values(resources).filter(
      (r) =>
        r.Type === "AWS::Lambda::EventSourceMapping" &&
        JSON.stringify(r.Properties.EventSourceArn).includes(queueId),
    );
    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toMatchObject({
      FunctionName: { Ref: readerId },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
    // The queue keeps a letter hidden longer than the reader may take.
    expect(resources[queueId]!.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
      resources[readerId]!.Properties.Timeout,
    );
    const actions = actionsOf(reader.function);
    expect(actions).toEqual(expect.arrayContaining(["sqs:ReceiveMessage", "sqs:DeleteMessage"]));
    expect(actions).toEqual(expect.arrayContaining(["sns:Publish", "dynamodb:UpdateItem"]));
    expect(actions.some((a) => a.startsWith("s3:") || a.startsWith("states:"))).toBe(false);
  });

  it("keeps the market stack and each of its nested stacks within CloudFormation's 500 resources", () => {
    for (const template of [market, workflows, alarms])
      expect(Object.keys(template.toJSON().Resources).length).toBeLessThanOrEqual(500);
  });

  it("holds the workflows, their functions and roles in the nested stack, and nothing of them in the market stack", () => {
    expect(Object.keys(marketResources).filter((id) => id in workflowResources)).toEqual([]);
    for (const workflow of Object.values(stacks.market.workflows)) {
      expect(Stack.of(workflow.stateMachine)).toBe(stacks.market.workflowsStack);
      for (const fn of Object.values(workflow.functions)) {
        expect(workflowResources[logicalId(fn.function)]?.Type).toBe("AWS::Lambda::Function");
        expect(marketResources[logicalId(fn.function)]).toBeUndefined();
      }
    }
  });
});
