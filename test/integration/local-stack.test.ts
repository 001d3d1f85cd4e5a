import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "../../functions/adapters/credentials";
import { keyIdOf } from "../../functions/core/access/api-key";
import { periodCount } from "../../functions/core/model/settlement-periods";
import { ROUTES } from "../../functions/http/routes";
import {
  dynamoDbLocalChildren,
  isRunning,
  killEverything,
  type LocalStackProcess,
  spawnLocalStack,
  waitUntil,
} from "../support/local-stack-process";

const OPERATOR_KEY = "btr_integration-operator-key-0123456789abcdefghij";
const ANM_KEY = "btr_integration-anm-key-0123456789abcdefghijklmnop";

let stack: LocalStackProcess;
let javaPids: number[] = [];
let sfn: SFNClient;

beforeAll(async () => {
  stack = await spawnLocalStack({ BITRADER_OPERATOR_KEY: OPERATOR_KEY, BITRADER_ANM_KEY: ANM_KEY });
  javaPids = dynamoDbLocalChildren(stack.child.pid!);
  sfn = new SFNClient({
    region: "eu-west-2",
    endpoint: stack.sfnEndpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
});

afterAll(() => {
  sfn?.destroy();
  killEverything(stack, javaPids);
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}${path}`, { headers });

describe("npm start -- --in-memory", () => {
  it("prints exactly one line, ready <url>, on stdout within 30 s, with DynamoDB Local running", () => {
    expect(stack.stdout()).toBe(`ready ${stack.url}\n`);
    expect(stack.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.readyAfterMs).toBeLessThan(30_000);
    expect(javaPids).toHaveLength(1);
  });

  it("answers GET /health with 200 {status: ok}", async () => {
    const response = await get("/health");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("serves a valid OpenAPI 3.1 document describing every route", async () => {
    const response = await get("/openapi.json");
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      servers: unknown;
      paths: object;
    };
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers).toEqual([{ url: stack.url }]);
    for (const route of ROUTES) expect(Object.keys(document.paths)).toContain(route.path);
  });

  it.each([
    ["no key", {}],
    ["an empty key", { "x-api-key": "" }],
    ["an unknown key", { "x-api-key": "btr_not-a-key-anyone-was-given" }],
  ])("refuses %s with 401 UNAUTHENTICATED as problem+json", async (_, headers) => {
    const response = await get("/whoami", headers);
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toEqual({
      type: "urn:bitrader:problem:unauthenticated",
      title: "Unauthorized",
      status: 401,
      code: "UNAUTHENTICATED",
      detail: expect.any(String),
    });
  });

  it.each([
    ["the operator key", OPERATOR_KEY, "operator"],
    ["the ANM key", ANM_KEY, "anm"],
  ])("accepts %s from the environment, whatever the header's casing", async (_, key, role) => {
    const response = await get("/whoami", { "X-Api-Key": key });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      role,
      principalId: role,
      keyId: keyIdOf(hashApiKey(key)),
    });
  });

  it("answers an unknown route with 404 ROUTE_NOT_FOUND", async () => {
    const response = await get("/no-such-route");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: "ROUTE_NOT_FOUND" });
  });
});

describe("the local Step Functions endpoint, through @aws-sdk/client-sfn", () => {
  const history = async (executionArn: string): Promise<HistoryEvent[]> =>
    (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];

  const finished = async (executionArn: string) => {
    for (let attempt = 0; attempt < 600; attempt += 1) {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (execution.status !== "RUNNING") return execution;
      await new Promise((wake) => setTimeout(wake, 50));
    }
    throw new Error(`${executionArn} still running after 30 s`);
  };

  let cycleExecution = "";

  it("runs the day-ahead cycle through every state and reads its history back", async () => {
    // A real cycle: the ANM posts a look-ahead (no constraint events, so no markets) whose gate
    // closure is moments away; the API starts the execution, named after the cycle's attempt.
    const date = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const accepted = await fetch(`${stack.url}/anm/look-aheads`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": ANM_KEY },
      body: JSON.stringify({
        lookAheadId: `LA-${date}`,
        anmSchemeId: "LOCAL-STACK-TEST",
        deliveryDate: date,
        issuedAt: new Date().toISOString(),
        // Generous: under load the request itself can take longer than a few hundred ms.
        gateClosureAt: new Date(Date.now() + 3_000).toISOString(),
        constraints: [
          { constraintId: "C1", requiredCurtailmentMw: Array(periodCount(date)).fill(0) },
        ],
        mols: [],
      }),
    });
    expect(accepted.status, await accepted.clone().text()).toBe(202);
    const { cycleId } = (await accepted.json()) as { cycleId: string };
    // D-132 (D-200): the first attempt of the cycle's workflow.
    const executionArn = `${stack.stateMachineArn.replace(":stateMachine:", ":execution:")}:${cycleId}-1`;
    cycleExecution = `${cycleId}-1`;
    const execution = await finished(executionArn!);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output!)).toMatchObject({ cycleId });

    const events = await history(executionArn!);
    const entered = events
      .filter((event) => event.type?.endsWith("StateEntered"))
      .map((event) => event.stateEnteredEventDetails?.name);
    const exited = events
      .filter((event) => event.type?.endsWith("StateExited"))
      .map((event) => event.stateExitedEventDetails?.name);
    const happyPath = [
      "IngestLookAhead",
      "DeriveOpportunities",
      "OpenMarkets",
      "WaitForGateClosure",
      "CloseMarkets",
      "Match",
      "ReorderMeritOrder",
      "Publish",
    ];
    expect(entered).toEqual(happyPath);
    expect(exited).toEqual(happyPath);
    expect(events[0]?.type).toBe("ExecutionStarted");
    expect(events.at(-1)?.type).toBe("ExecutionSucceeded");
    expect(events.find((event) => event.type === "WaitStateEntered")).toBeDefined();
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    for (const event of events) expect(event.timestamp).toBeInstanceOf(Date);
  });

  it("takes the Catch path when a task fails, and the execution fails visibly", async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: stack.stateMachineArn,
        name: "cycle-bad-input",
        input: JSON.stringify({ cycleId: "CYC-2", gateClosureAt: "not a time" }),
      }),
    );
    const execution = await finished(executionArn!);
    expect(execution.status).toBe("FAILED");
    const events = await history(executionArn!);
    const entered = events
      .filter((event) => event.type === "TaskStateEntered")
      .map((event) => event.stateEnteredEventDetails?.name);
    expect(entered).toEqual(["IngestLookAhead", "PublishOriginal", "MarkFailed"]);
    const failures = events.filter((event) => event.type === "TaskFailed");
    expect(failures[0]?.taskFailedEventDetails?.error).toBe("ZodError");
  });

  it("refuses a second execution with the same name and another input", async () => {
    const start = (input: object) =>
      sfn.send(
        new StartExecutionCommand({
          stateMachineArn: stack.stateMachineArn,
          name: cycleExecution,
          input: JSON.stringify(input),
        }),
      );
    await expect(
      start({ cycleId: "other", gateClosureAt: new Date().toISOString() }),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it("lists the executions, newest first", async () => {
    const { executions } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: stack.stateMachineArn }),
    );
    expect(executions?.map((execution) => execution.name)).toEqual([
      "cycle-bad-input",
      cycleExecution,
    ]);
  });
});

describe("stopping", () => {
  it("stops within 5 s of SIGTERM to its process group, leaving no DynamoDB Local", async () => {
    const started = Date.now();
    process.kill(-stack.child.pid!, "SIGTERM");
    const exit = await stack.exited;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(exit.code).toBe(0);
    expect(await waitUntil(() => javaPids.every((pid) => !isRunning(pid)), 2_000)).toBe(true);
  });

  it("takes DynamoDB Local with it when it is killed outright (SIGKILL, no cleanup)", async () => {
    const victim = await spawnLocalStack();
    const java = dynamoDbLocalChildren(victim.child.pid!);
    try {
      expect(java).toHaveLength(1);
      process.kill(victim.child.pid!, "SIGKILL");
      await victim.exited;
      expect(await waitUntil(() => java.every((pid) => !isRunning(pid)), 3_000)).toBe(true);
    } finally {
      killEverything(victim, java);
    }
  });
});
