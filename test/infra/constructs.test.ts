import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AttributeType, Table } from "aws-cdk-lib/aws-dynamodb";
import { describe, expect, it } from "vitest";
import { TABLE_SPEC } from "../../functions/adapters/table-spec";
import { ROUTES, type Route } from "../../functions/http/routes";
import { DAY_AHEAD_CYCLE } from "../../functions/workflow/workflows";
import { MarketApi } from "../../lib/constructs/market-api";
import { MarketFunction } from "../../lib/constructs/market-function";
import { MarketTable } from "../../lib/constructs/market-table";
import { MarketWorkflow } from "../../lib/constructs/market-workflow";
import { testApp } from "../support/cdk-app";

const TASKS = DAY_AHEAD_CYCLE.tasks;

function stack() {
  return new Stack(testApp(), "Test", { env: { account: "123456789012", region: "eu-west-2" } });
}

function table(scope: Stack) {
  return new Table(scope, "T", { partitionKey: { name: "pk", type: AttributeType.STRING } });
}

const health: Route = ROUTES[0];

describe("MarketTable refuses misuse", () => {
  it("refuses RemovalPolicy.DESTROY", () => {
    expect(() => new MarketTable(stack(), "T", { removalPolicy: RemovalPolicy.DESTROY })).toThrow(
      /DESTROY/,
    );
  });

  it("accepts SNAPSHOT for throwaway environments", () => {
    const scope = stack();
    new MarketTable(scope, "T", { removalPolicy: RemovalPolicy.SNAPSHOT });
    const tables = Object.values(Template.fromStack(scope).findResources("AWS::DynamoDB::Table"));
    expect(tables.map((resource) => resource.DeletionPolicy)).toEqual(["Snapshot"]);
  });

  it("refuses two indexes with one name", () => {
    const spec = {
      ...TABLE_SPEC,
      globalSecondaryIndexes: [
        TABLE_SPEC.globalSecondaryIndexes[0],
        TABLE_SPEC.globalSecondaryIndexes[0],
      ],
    };
    expect(() => new MarketTable(stack(), "T", { spec })).toThrow(/duplicate index/);
  });

  it("refuses an index whose partition and sort key are one attribute", () => {
    const spec = {
      ...TABLE_SPEC,
      globalSecondaryIndexes: [{ indexName: "bad", partitionKey: "gsi9", sortKey: "gsi9" }],
    };
    expect(() => new MarketTable(stack(), "T", { spec })).toThrow(/must differ/);
  });
});

describe("MarketFunction refuses misuse", () => {
  const entry = "functions/http/handlers/get-health.ts";

  it.each([
    ["an entry outside functions/", { entry: "bin/local.ts", grants: {} }, /under functions/],
    [
      "an entry that does not exist",
      { entry: "functions/http/handlers/nope.ts", grants: {} },
      /does not exist/,
    ],
    [
      "a timeout beyond its ceiling",
      { entry, grants: {}, timeout: Duration.seconds(30), maxTimeout: Duration.seconds(29) },
      /timeout/,
    ],
    [
      "a timeout beyond Lambda's 15 minutes",
      { entry, grants: {}, timeout: Duration.minutes(16) },
      /timeout/,
    ],
    ["too little memory", { entry, grants: {}, memorySize: 64 }, /memorySize/],
    [
      "a variable the constructs manage",
      { entry, grants: {}, environment: { TABLE_NAME: "other" } },
      /TABLE_NAME/,
    ],
    [
      "a local-only variable",
      { entry, grants: {}, environment: { DYNAMODB_ENDPOINT: "http://x" } },
      /DYNAMODB_ENDPOINT/,
    ],
  ])("refuses %s", (_, props, message) => {
    expect(() => new MarketFunction(stack(), "F", props)).toThrow(message);
  });

  it("refuses a grant of an SDK client its bundle was built without (D-127)", () => {
    const fn = new MarketFunction(stack(), "F", { entry, grants: {} });
    expect(() => fn.grant({ topic: { Alarms: "publish" } }, {})).toThrow(
      /topic grant must be in its props/,
    );
  });

  it("refuses a grant whose resource is missing", () => {
    const fn = new MarketFunction(stack(), "F", {
      entry,
      grants: { table: "read", workflow: { DayAheadCycle: "start" } },
    });
    expect(() => fn.grant({ table: "read" }, {})).toThrow(/needs the table/);
    expect(() => fn.grant({ workflow: { DayAheadCycle: "start" } }, {})).toThrow(
      /needs the state machine/,
    );
  });
});

describe("MarketApi refuses misuse", () => {
  const build = (props: Partial<ConstructorParameters<typeof MarketApi>[2]>) => {
    const scope = stack();
    return new MarketApi(scope, "Api", { table: table(scope), ...props });
  };

  it.each([
    ["two routes with one id", [health, { ...health, path: "/other" }], /duplicate route id/],
    [
      "two routes on one method and path",
      [health, { ...health, id: "GetHealthAgain" }],
      /duplicate route GET/,
    ],
    ["a path that API Gateway cannot take", [{ ...health, path: "/health/" }], /invalid path/],
    ["a route id that is not PascalCase", [{ ...health, id: "get-health" }], /PascalCase/],
    ["a protected route listing no roles", [{ ...health, roles: [] as never }], /no roles/],
    [
      "a route that needs the workflow without one",
      [{ ...health, grants: { workflow: { DayAheadCycle: "start" } } }],
      /state machine/,
    ],
  ] as const)("refuses %s", (_, routes, message) => {
    expect(() => build({ routes: routes as readonly Route[] })).toThrow(message);
  });

  it.each([
    ["a zero rate", { stageThrottle: { rateLimit: 0, burstLimit: 10 } }],
    ["a fractional burst", { roleThrottle: { anm: { rateLimit: 5, burstLimit: 1.5 } } }],
  ])("refuses a throttle with %s", (_, props) => {
    expect(() => build(props)).toThrow(/throttle/);
  });

  it("refuses a stage name API Gateway cannot take", () => {
    expect(() => build({ stageName: "v1/beta" })).toThrow(/stage name/);
  });

  it("creates no authorizer when no route needs a key", () => {
    const api = build({ routes: [health] });
    expect(api.authorizerFunction).toBeUndefined();
  });
});

describe("MarketWorkflow refuses misuse", () => {
  it("refuses an ASL placeholder that no task provides", () => {
    expect(
      () =>
        new MarketWorkflow(stack(), "W", {
          definitionFile: "test/fixtures/asl/unknown-placeholder.asl.json",
        }),
    ).toThrow(/no task: MatchOrdersFunctionArn; not in ASL: MatchFunctionArn/);
  });

  it("refuses a task whose placeholder the ASL lacks", () => {
    const extra = { ...TASKS[0], state: "Audit", substitution: "AuditFunctionArn" };
    expect(() => new MarketWorkflow(stack(), "W", { tasks: [...TASKS, extra] })).toThrow(
      /not in ASL: AuditFunctionArn/,
    );
  });

  it("refuses a task timeout that outlasts the ASL's own", () => {
    expect(() => new MarketWorkflow(stack(), "W", { taskTimeout: Duration.seconds(60) })).toThrow(
      /taskTimeout/,
    );
  });

  it("refuses a task that needs the table without one", () => {
    const needsTable = TASKS.map((task) => ({ ...task, grants: { table: "readWrite" as const } }));
    expect(() => new MarketWorkflow(stack(), "W", { tasks: needsTable })).toThrow(
      /needs the table/,
    );
  });
});
