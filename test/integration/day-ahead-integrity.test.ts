import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SFNClient, StopExecutionCommand } from "@aws-sdk/client-sfn";
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  paginateQuery,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../functions/adapters/clock";
import { marketKeys } from "../../functions/adapters/keys";
import { clockSource } from "../../functions/runtime/deps";
import { onboard, type Trader, waitFor } from "../../lib/client/api-client";
import { useLocalStack } from "../support/use-local-stack";
import { workedExample } from "../support/worked-example";

/**
 * Day-ahead integrity on the local stack (D-130 … D-152): a simulated restore, the operator's
 * brakes, the audit trail of orders and cycles, paged lists and the market cap, and the smaller
 * refusals that were 5xx before.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

/** Queries the handlers send, recorded while `recording` is on (D-140). */
const queries: { IndexName?: string; Limit?: number; value?: unknown }[] = [];
let recording = false;
const local = useLocalStack({
  instrumentDynamo: (client) =>
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (recording && context.commandName === "QueryCommand") {
          const input = args.input as {
            IndexName?: string;
            Limit?: number;
            ExpressionAttributeValues?: Record<string, unknown>;
          };
          queries.push({
            ...(input.IndexName ? { IndexName: input.IndexName } : {}),
            ...(input.Limit !== undefined ? { Limit: input.Limit } : {}),
            value: input.ExpressionAttributeValues?.[":p"],
          });
        }
        return next(args);
      },
      { step: "initialize", name: "recordQueries" },
    ),
});
const scenario = workedExample();
const DATE = scenario.lookAhead.deliveryDate as string;

afterEach(() => {
  clockSource.current = systemClock;
});

let schemes = 0;
function lookAhead(gateInMs: number, overrides: Record<string, unknown> = {}) {
  schemes += 1;
  return {
    ...structuredClone(scenario.lookAhead),
    anmSchemeId: `INTEGRITY-${process.pid}-${schemes}`,
    lookAheadId: `LA-${schemes}`,
    gateClosureAt: new Date(Date.now() + gateInMs).toISOString(),
    ...overrides,
  };
}

const operator = () => ({ key: local.stack.keys.operator });
const cycleOf = (cycleId: string) => local.api.expect(200, "GET", `/cycles/${cycleId}`, operator());
const waitCycle = (cycleId: string, status: string, timeoutMs = 90_000) =>
  waitFor(
    () => cycleOf(cycleId),
    (c) => c.status === status,
    timeoutMs,
    500,
  );

function documentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: "eu-west-2",
      endpoint: local.stack.dynamoDbEndpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    }),
  );
}

async function auditOf(subject: string) {
  return (
    await local.api.expect(200, "GET", `/audit?subject=${encodeURIComponent(subject)}`, operator())
  ).items as {
    action: string;
    actor: { role: string; principalId: string };
    from?: string;
    to?: string;
  }[];
}

/** Every item of a partition (the cycle's own items live under `CYCLE#<id>`). */
async function partition(doc: DynamoDBDocumentClient, pk: string) {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery(
    { client: doc },
    {
      TableName: local.stack.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": pk },
    },
  ))
    items.push(...(page.Items ?? []));
  return items;
}

async function deleteItems(doc: DynamoDBDocumentClient, items: Record<string, unknown>[]) {
  for (let i = 0; i < items.length; i += 25)
    await doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [local.stack.tableName]: items
            .slice(i, i + 25)
            .map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
        },
      }),
    );
}

describe("D-132 a simulated restore", () => {
  it("after the cycle's items are deleted, a re-posted look-ahead runs a new attempt to published", async () => {
    const body = lookAhead(25_000);
    const first = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body,
    });
    const running = await waitCycle(first.cycleId, "markets-open");
    // Its execution ends (stopped), and then the table is restored to before the look-ahead.
    const sfn = new SFNClient({
      region: "eu-west-2",
      endpoint: local.stack.sfnEndpoint,
      credentials: { accessKeyId: "x", secretAccessKey: "x" },
    });
    await sfn.send(new StopExecutionCommand({ executionArn: running.executionArn }));
    sfn.destroy();
    await waitCycle(first.cycleId, "failed");
    const doc = documentClient();
    const gone = [
      ...(await partition(doc, marketKeys.cyclePk(first.cycleId))),
      ...(await partition(doc, marketKeys.cycle(first.cycleId).pk)),
      ...(await partition(
        doc,
        marketKeys.lookAheadClaim(`${body.anmSchemeId}#${body.lookAheadId}`).pk,
      )),
      ...(await partition(doc, marketKeys.schemeDay(body.anmSchemeId, DATE).pk)),
      ...(await partition(doc, marketKeys.meritOrderPk(body.anmSchemeId, DATE, "C1"))),
    ];
    await deleteItems(doc, [...new Map(gone.map((i) => [`${i.pk}|${i.sk}`, i])).values()]);
    doc.destroy();
    expect((await local.api.request("GET", `/cycles/${first.cycleId}`, operator())).status).toBe(
      404,
    );

    const again = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body,
    });
    expect(again.cycleId).toBe(first.cycleId);
    const cycle = await waitCycle(first.cycleId, "published");
    expect(cycle.executionArn).toMatch(/-2$/);
  }, 120_000);
});

describe("D-136 the operator's brakes stop trading at once", () => {
  it("a rejected asset's and a suspended participant's open orders are cancelled; no trade, no slice", async () => {
    const body = lookAhead(30_000);
    const traders = new Map<string, Trader>();
    for (const asset of scenario.assets)
      traders.set(
        asset.participantId,
        await onboard(local.api, local.stack.keys.operator, {
          name: asset.participantId.toUpperCase(),
          anmSchemeId: body.anmSchemeId,
          entryIds: asset.molEntryIds,
          ...(asset.flexibleServiceContracts
            ? { flexibleServiceContracts: asset.flexibleServiceContracts }
            : {}),
        }),
      );
    const { cycleId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body,
    });
    await waitCycle(cycleId, "markets-open");
    const [{ marketId }] = (
      await local.api.expect(200, "GET", `/opportunities?deliveryDate=${DATE}`, {
        key: traders.get("g4")!.apiKey,
      })
    ).items;
    const place = (who: string, entryId: string, side: string, mw: number, extra = {}) =>
      local.api.expect(201, "POST", "/orders", {
        key: traders.get(who)!.apiKey,
        body: {
          marketId,
          entryId,
          side,
          quantityMw: mw,
          availabilityPrice: 10,
          utilisationPrice: 20,
          ...(side === "sell" ? { serviceType: "generation-turn-down" } : {}),
          ...extra,
        },
      });
    const bid = await place("g4", "G4-A", "buy", 4.5);
    const g5 = await place("g5", "G5-A", "sell", 3);
    const g1 = await place("g1", "G1-A", "sell", 4);

    await local.api.expect(200, "POST", `/assets/${traders.get("g5")!.assetId}/decision`, {
      ...operator(),
      body: { decision: "reject", reason: "meter failed its test" },
    });
    await local.api.expect(
      200,
      "POST",
      `/participants/${traders.get("g1")!.participantId}/decision`,
      {
        ...operator(),
        body: { decision: "suspend" },
      },
    );
    const orders = (await local.api.expect(200, "GET", `/orders?marketId=${marketId}`, operator()))
      .items as { orderId: string; status: string }[];
    const status = new Map(orders.map((o) => [o.orderId, o.status]));
    expect([status.get(g5.orderId), status.get(g1.orderId), status.get(bid.orderId)]).toEqual([
      "cancelled",
      "cancelled",
      "open",
    ]);
    // The rejected asset's entry takes no new order: its claim is gone (the order transaction checks it).
    const again = await local.api.request("POST", "/orders", {
      key: traders.get("g5")!.apiKey,
      body: {
        marketId,
        entryId: "G5-A",
        side: "sell",
        quantityMw: 1,
        availabilityPrice: 10,
        utilisationPrice: 20,
        serviceType: "generation-turn-down",
      },
    });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
    const cancelled = await auditOf(g5.orderId);
    expect(cancelled.map((r) => [r.action, r.actor.role, r.from, r.to])).toEqual([
      ["order.placed", "participant", undefined, "open 3 MW at £10/MW/h + £20/MWh"],
      ["order.cancelled", "operator", "open", "cancelled"],
    ]);

    await waitCycle(cycleId, "published");
    const trades = (
      await local.api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, operator())
    ).items.filter((t: { cycleId: string }) => t.cycleId === cycleId);
    expect(trades).toEqual([]);
    const mol = await local.api.expect(
      200,
      "GET",
      `/anm/merit-order?anmSchemeId=${body.anmSchemeId}&deliveryDate=${DATE}&constraintId=C1`,
      { key: local.stack.keys.anm },
    );
    const units = JSON.stringify(mol.segments);
    expect(units).not.toMatch(/G5-A\//);
    expect(units).not.toMatch(/G1-A\//);

    // D-139: the cycle's own trail names the ANM and each step.
    const trail = await auditOf(cycleId);
    expect(trail[0]).toMatchObject({ action: "look-ahead.accepted", actor: { role: "anm" } });
    expect(trail.map((r) => r.actor.principalId)).toEqual(
      expect.arrayContaining(["system:IngestLookAhead", "system:Match", "system:Publish"]),
    );
    expect(trail.at(-1)).toMatchObject({
      action: "cycle.published",
      from: "markets-open",
      to: "published",
    });
  }, 180_000);
});

describe("D-140 paged lists, D-142 the market cap", () => {
  /** A constraint with an event in every other SP: 24 markets. */
  const busy = (constraintId: string) => ({
    constraintId,
    requiredCurtailmentMw: Array.from({ length: 48 }, (_, sp) => (sp % 2 === 0 ? 1 : 0)),
  });

  it("GET /markets?limit=1 is one Query with Limit ≤ 100, however many markets the day has", async () => {
    const body = lookAhead(600_000, {
      constraints: Array.from({ length: 10 }, (_, i) => busy(`B${i}`)),
      mols: [],
    });
    const { cycleId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body,
    });
    await waitCycle(cycleId, "markets-open");
    queries.length = 0;
    recording = true;
    const page = await local.api.expect(
      200,
      "GET",
      `/markets?deliveryDate=${DATE}&limit=1`,
      operator(),
    );
    recording = false;
    const mine = queries.filter((q) => q.value === marketKeys.marketsByDate(DATE));
    expect(mine).toEqual([{ IndexName: "gsi1", Limit: 1, value: marketKeys.marketsByDate(DATE) }]);
    expect(page.items).toHaveLength(1);
    expect(page.nextToken).toBeDefined();
  }, 120_000);

  it("a look-ahead that would open more markets than the cap is 422 and stores nothing", async () => {
    const body = lookAhead(600_000, {
      constraints: Array.from({ length: 42 }, (_, i) => busy(`X${i}`)), // 1,008 markets
      mols: [],
    });
    const refused = await local.api.request("POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body,
    });
    expect([refused.status, refused.body.code]).toEqual([422, "LOOK_AHEAD_INVALID"]);
    expect(refused.body.errors.map((e: { path: string }) => e.path)).toEqual(["constraints"]);
    const { items } = await local.api.expect(
      200,
      "GET",
      `/cycles?deliveryDate=${DATE}`,
      operator(),
    );
    expect(
      items.filter((c: { anmSchemeId: string }) => c.anmSchemeId === body.anmSchemeId),
    ).toEqual([]);
  });
});

/** A request from another loopback address: another client, as the API sees it (D-146). */
function fromAddress(
  localAddress: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
) {
  const url = new URL(path, local.stack.url);
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: "POST",
        localAddress,
        headers: { "content-type": "application/json", ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString() || "null"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

const registration = (legalName = "Integrity Energy Ltd") => ({
  organisation: { legalName, companyNumber: "01234567", registeredAddress: "1 Grid Street" },
  contact: { name: "Desk", email: "desk@integrity.example" },
});

describe("the smaller refusals (each a 5xx or a leak before)", () => {
  it.each(["/orders/", "/markets/", "/cycles/"])(
    "D-143: an over-long id on %s is 404",
    async (prefix) => {
      const key = prefix === "/orders/" ? undefined : local.stack.keys.operator;
      const trader =
        prefix === "/orders/"
          ? await onboard(local.api, local.stack.keys.operator, {
              name: "LONG",
              anmSchemeId: `LONG-${process.pid}`,
              entryIds: ["L-1"],
            })
          : undefined;
      const response = await local.api.request("GET", `${prefix}${"a".repeat(3_000)}`, {
        key: key ?? trader!.apiKey,
      });
      expect([response.status, response.body.code]).toEqual([404, "NOT_FOUND"]);
    },
  );

  it("D-152: the execution of a cycle the workflow service no longer has is a 404 problem", async () => {
    const { cycleId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body: lookAhead(600_000),
    });
    await waitFor(
      () => cycleOf(cycleId),
      (c) => c.executionArn !== undefined,
    );
    const doc = documentClient();
    await doc.send(
      new UpdateCommand({
        TableName: local.stack.tableName,
        Key: marketKeys.cycle(cycleId),
        UpdateExpression: "SET executionArn = :arn",
        ExpressionAttributeValues: {
          ":arn": `${local.stack.stateMachineArn.replace(":stateMachine:", ":execution:")}:gone-1`,
        },
      }),
    );
    doc.destroy();
    const response = await local.api.request("GET", `/cycles/${cycleId}/execution`, operator());
    expect([response.status, response.body.code]).toEqual([404, "NOT_FOUND"]);
  });

  it("D-144: __proto__ and constructor as query or header names, and bad %-encoding, are 400", async () => {
    for (const [path, headers] of [
      [`/cycles?deliveryDate=${DATE}&__proto__=1`, {}],
      [`/cycles?deliveryDate=${DATE}&constructor=1`, {}],
      [`/cycles?deliveryDate=${DATE}`, { constructor: "x" }],
      ["/cycles/%E0%A4%A", {}],
    ] as const) {
      const response = await local.api.request("GET", path, { ...operator(), headers });
      expect(response.status, path).toBe(400);
      expect(response.body.status).toBe(400);
    }
  });

  it("D-146: another client replaying a registration's Idempotency-Key gets nothing of the first answer", async () => {
    const headers = { "Idempotency-Key": randomUUID() };
    const first = await fromAddress("127.0.0.1", "/registrations", registration(), headers);
    const same = await fromAddress("127.0.0.1", "/registrations", registration(), headers);
    const other = await fromAddress("127.0.0.2", "/registrations", registration(), headers);
    expect(first.status).toBe(201);
    expect(same.body).toEqual(first.body);
    expect(other.status).toBe(201);
    expect(other.body.claimSecret).not.toBe(first.body.claimSecret);
    expect(other.body.participantId).not.toBe(first.body.participantId);
  });

  it.each([
    ["a right-to-left override", "Evil\u202Egnp.exe Ltd"],
    ["a zero-width space", "Gri\u200Bd Ltd"],
    ["a spreadsheet formula", '=HYPERLINK("http://x","y")'],
    ["a leading @", "@SUM(A1)"],
  ])("D-147: a legal name with %s is 400, nothing stored", async (_, legalName) => {
    const response = await local.api.request("POST", "/registrations", {
      body: registration(legalName),
    });
    expect([response.status, response.body.code]).toEqual([400, "VALIDATION_FAILED"]);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual([
      "organisation.legalName",
    ]);
  });

  it("D-148: 123456.78901 MW is not a 3-decimal quantity", async () => {
    const trader = await onboard(local.api, local.stack.keys.operator, {
      name: "DECIMALS",
      anmSchemeId: `DEC-${process.pid}`,
      entryIds: ["D-1"],
    });
    const response = await local.api.request("POST", "/orders", {
      key: trader.apiKey,
      body: {
        marketId: "mkt-none",
        entryId: "D-1",
        side: "buy",
        quantityMw: 123456.78901,
        availabilityPrice: 1,
        utilisationPrice: 1,
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toContain("quantityMw");
  });

  it("D-149: a claim secret 31 days old is refused even when right; a re-issued one claims (D-198)", async () => {
    const registered = await local.api.expect(201, "POST", "/registrations", {
      body: registration(),
    });
    await local.api.expect(200, "POST", `/participants/${registered.participantId}/decision`, {
      ...operator(),
      body: { decision: "approve" },
    });
    const now = Date.now();
    clockSource.current = { nowMs: () => now + 31 * 24 * 3_600_000 };
    const late = await local.api.request(
      "POST",
      `/registrations/${registered.participantId}/api-key`,
      {
        body: { claimSecret: registered.claimSecret },
      },
    );
    expect([late.status, late.body.code]).toEqual([409, "CLAIM_SECRET_EXPIRED"]);
    // D-198: the operator's re-issue gives a secret whose 30 days run from the re-issue.
    const reissued = await local.api.expect(
      201,
      "POST",
      `/participants/${registered.participantId}/key-reissues`,
      { ...operator(), body: {} },
    );
    const claimed = await local.api.expect(
      201,
      "POST",
      `/registrations/${registered.participantId}/api-key`,
      { body: { claimSecret: reissued.claimSecret } },
    );
    expect(claimed.apiKey).toMatch(/^btr_/);
  });

  // Last: it stops DynamoDB Local.
  it("D-145: /health says when the database is down, and an outage is 503 on every route", async () => {
    expect(await local.api.expect(200, "GET", "/health")).toEqual({ status: "ok", database: "ok" });
    process.kill(-local.stack.dynamoDbPid, "SIGKILL");
    await new Promise((wake) => setTimeout(wake, 500));
    const health = await local.api.request("GET", "/health");
    expect([health.status, health.body]).toEqual([
      503,
      { status: "unavailable", database: "unreachable" },
    ]);
    const list = await local.api.request("GET", "/participants", operator());
    expect([list.status, list.body.code]).toEqual([503, "TEMPORARILY_UNAVAILABLE"]);
  });
});
