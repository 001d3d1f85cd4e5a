import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../functions/adapters/clock";
import { hashApiKey } from "../../functions/adapters/credentials";
import { marketKeys } from "../../functions/adapters/keys";
import { keyIdOf } from "../../functions/core/access/api-key";
import { ASSET_CSV_COLUMNS } from "../../functions/core/access/asset-csv-columns";
import { ROUTES, type RouteId } from "../../functions/http/routes";
import { clockSource } from "../../functions/runtime/deps";
import { WORKFLOWS } from "../../functions/workflow/workflows";
import { onboard, type Trader, waitFor } from "../../lib/client/api-client";
import { WebhookReceivers } from "../../lib/client/webhook-receiver";
import { REPO_ROOT } from "../../lib/repo-root";
import { postTradeExample } from "../support/post-trade-example";
import { useLocalStack } from "../support/use-local-stack";
import { workedExample } from "../support/worked-example";

/**
 * The audit trail (reliability.md promise 6, D-24, D-139, D-290), walked from the tables that
 * define what writes: every write route of ROUTES, called successfully over HTTP, leaves an audit
 * record naming its caller, an action and from/to; every Task state of every workflow's ASL,
 * once it has run, leaves one naming `system:<state>`. A write route or Task state added without
 * its record (or without a case here) fails this file. And a transaction DynamoDB Local cancels
 * on a real condition leaves neither the change nor its record.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

/** Task states that ran to success, per cycle (recorded by the wrapper below). */
const ran: { state: string; cycleId: string }[] = [];
/** Cycles whose Publish is made to fail, so the workflow takes its fallback path. */
const failPublish = new Set<string>();
/** Called once before the next TransactWriteItems the handlers send (a racing writer). */
let beforeNextTransaction: (() => Promise<void>) | undefined;

const local = useLocalStack({
  wrapTask: (state, handler) => async (event, context) => {
    const cycleId = (event as { cycleId: string }).cycleId;
    if (state === "Publish" && failPublish.has(cycleId))
      throw new Error("the test made Publish fail");
    const out = await handler(event, context);
    ran.push({ state, cycleId });
    return out;
  },
  instrumentDynamo: (client) =>
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (/^TransactWrite/.test(context.commandName ?? "") && beforeNextTransaction) {
          const race = beforeNextTransaction;
          beforeNextTransaction = undefined;
          await race();
        }
        return next(args);
      },
      { step: "initialize", name: "racingWriter" },
    ),
});
const scenario = workedExample();
const DATE = scenario.lookAhead.deliveryDate as string;

interface AuditItem {
  subject: string;
  action: string;
  actor: { role: string; principalId: string; keyId?: string };
  at: string;
  from?: string;
  to?: string;
}

let doc: DynamoDBDocumentClient;
/** Every audit record written at or after `sinceIso` (the `AUDIT` index, in time order). */
async function auditSince(sinceIso: string): Promise<AuditItem[]> {
  const items: AuditItem[] = [];
  for await (const page of paginateQuery(
    { client: doc },
    {
      TableName: local.stack.tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :p AND gsi1sk >= :since",
      ExpressionAttributeValues: { ":p": "AUDIT", ":since": sinceIso },
    },
  ))
    items.push(...((page.Items ?? []) as AuditItem[]));
  return items;
}
/** One subject's records (its own partition). */
async function auditOf(subject: string): Promise<AuditItem[]> {
  const items: AuditItem[] = [];
  for await (const page of paginateQuery(
    { client: doc },
    {
      TableName: local.stack.tableName,
      KeyConditionExpression: "pk = :p",
      ExpressionAttributeValues: { ":p": `AUDIT#${subject}` },
    },
  ))
    items.push(...((page.Items ?? []) as AuditItem[]));
  return items;
}

const operator = () => ({ key: local.stack.keys.operator });
const registrationBody = (name: string) => ({
  organisation: {
    legalName: `${name} Energy Ltd`,
    companyNumber: "01234567",
    registeredAddress: "1 Grid Street, Manchester",
  },
  contact: { name: `${name} desk`, email: `desk@${name.toLowerCase()}.example` },
});

let schemes = 0;
function lookAhead(gateInMs: number) {
  schemes += 1;
  return {
    ...structuredClone(scenario.lookAhead),
    anmSchemeId: `AUDIT-${process.pid}-${schemes}`,
    lookAheadId: `LA-audit-${schemes}`,
    gateClosureAt: new Date(Date.now() + gateInMs).toISOString(),
  };
}

/** The world the cases share: the worked example's traders in an open cycle, and a receiver. */
interface World {
  traders: Map<string, Trader>;
  anmSchemeId: string;
  cycleId: string;
  marketId: string;
  receivers: WebhookReceivers;
  /** A scheme-day of its own that publishes without trades (actuals, changes, settlement). */
  publishedDay: { anmSchemeId: string; cycleId: string };
}
let world: World;

/** The request a case makes, and the record it must leave. */
interface AuditCase {
  method: string;
  path: string;
  key?: string;
  body?: unknown;
  /** Headers besides the key's (a CSV body's content type). */
  headers?: Record<string, string>;
  status: number;
  /** The record's subject: known before the call, or read from the answer. */
  subject: string | ((answer: any) => string);
  action: string;
  actor: { role: string; principalId: string };
  /** The subject existed before (an amendment or transition): the record says what it was. */
  from: boolean;
  /** The subject exists after (not a deletion): the record says what it became. */
  to: boolean;
  /** The platform's clock while the request runs (the post-trade inputs' deadlines). */
  clockAt?: string;
}

const participantActor = (t: Pick<Trader, "participantId">) => ({
  role: "participant",
  principalId: t.participantId,
});
const OPERATOR = { role: "operator", principalId: "operator" };
const ANONYMOUS = { role: "anonymous", principalId: "anonymous" };

async function newRegistration(name: string) {
  return local.api.expect(201, "POST", "/registrations", { body: registrationBody(name) });
}
async function newApproved(name: string) {
  const registration = await newRegistration(name);
  await local.api.expect(200, "POST", `/participants/${registration.participantId}/decision`, {
    ...operator(),
    body: { decision: "approve" },
  });
  return registration as { participantId: string; claimSecret: string };
}
async function newKeyholder(name: string) {
  const { participantId, claimSecret } = await newApproved(name);
  const { apiKey } = await local.api.expect(
    201,
    "POST",
    `/registrations/${participantId}/api-key`,
    { body: { claimSecret } },
  );
  return { participantId, apiKey: apiKey as string };
}
const assetBody = (anmSchemeId: string, entryId: string) => ({
  name: "Audit site",
  assetType: "discrete",
  technology: "wind",
  exportCapacityMw: 10,
  connectionVoltageKv: 33,
  postcode: "M1 1AA",
  anmSchemeId,
  molEntryIds: [entryId],
});
const order = (entryId: string, side: "buy" | "sell", quantityMw: number) => ({
  marketId: world.marketId,
  entryId,
  side,
  quantityMw,
  availabilityPrice: 10,
  utilisationPrice: 20,
  ...(side === "sell" ? { serviceType: "generation-turn-down" } : {}),
});
const trader = (id: string) => world.traders.get(id)!;
/** A receiver endpoint of its own for a fresh keyholder (the webhook cases). */
async function withEndpoint(name: string) {
  const holder = await newKeyholder(name);
  world.receivers.script(`/${name}`, {});
  await local.api.expect(201, "PUT", "/webhook-endpoint", {
    key: holder.apiKey,
    body: { url: world.receivers.url(`/${name}`) },
  });
  return holder;
}

/**
 * One case per write route: what it takes to call it successfully, and the record it must leave.
 * Typed over every route id, so a new route needs a case here (or a reason in NO_AUDIT_RECORD).
 */
/** The worked example's post-trade inputs, for the world's scheme. */
const postTrade = postTradeExample();
const forScheme = (body: unknown, anmSchemeId: string) =>
  JSON.parse(JSON.stringify(body).replaceAll(postTrade.lookAhead.anmSchemeId, anmSchemeId));
const forWorldScheme = (body: unknown) => forScheme(body, world.anmSchemeId);
/** The published scheme-day's scheme, once its cycle has published. */
async function published(): Promise<string> {
  await waitFor(
    () => local.api.expect(200, "GET", `/cycles/${world.publishedDay.cycleId}`, operator()),
    (c) => c.status === "published",
    120_000,
    500,
  );
  return world.publishedDay.anmSchemeId;
}

const CASES: Partial<Record<RouteId, () => Promise<AuditCase>>> = {
  PutBaseline: async () => {
    const g5 = trader("g5");
    const body = forWorldScheme(postTrade.variants[0].nominations[0].body);
    // A second nomination replaces the first: version 1 → version 2.
    await local.api.expect(200, "PUT", "/baselines", { key: g5.apiKey, body });
    return {
      method: "PUT",
      path: "/baselines",
      key: g5.apiKey,
      body: { ...body, nominatedMw: body.nominatedMw.map(() => 2.5) },
      status: 200,
      subject: `${world.anmSchemeId}/${DATE}/G5-A`,
      action: "nomination.received",
      actor: participantActor(g5),
      from: true,
      to: true,
    };
  },
  CreateMeterUpload: async () => ({
    method: "POST",
    path: "/meter-uploads",
    key: trader("g5").apiKey,
    body: { contentType: "text/csv", contentLength: 100 },
    status: 201,
    subject: (answer) => answer.uploadId,
    action: "meter-upload.created",
    actor: participantActor(trader("g5")),
    from: false,
    to: true,
  }),
  SubmitMeterReadings: async () => {
    const json = postTrade.variants[0].meterReadings.find(
      (m: { contentType: string }) => m.contentType === "application/json",
    );
    return {
      method: "POST",
      path: "/meter-readings",
      key: trader("g5").apiKey,
      body: forWorldScheme(json.body),
      status: 201,
      subject: (answer) => answer.uploadId,
      action: "meter-readings.received",
      actor: participantActor(trader("g5")),
      from: false,
      to: true,
    };
  },
  PostActuals: async () => {
    const scheme = await published();
    const none = postTrade.variants.find((v: { name: string }) => v.name === "no-constraint");
    return {
      method: "POST",
      path: "/anm/actuals",
      key: local.stack.keys.anm,
      body: {
        ...forScheme(none.anmActuals[0].body, scheme),
        actualsId: `ACT-AUDIT-${process.pid}`,
      },
      status: 202,
      subject: `ACT-AUDIT-${process.pid}`,
      action: "actuals.received",
      actor: { role: "anm", principalId: "anm" },
      from: false,
      to: true,
      clockAt: "2027-06-15T09:00:00+01:00",
    };
  },
  PostTopologyChange: async () => {
    const scheme = await published();
    const d = postTrade.variants.find((v: { name: string }) => v.name === "topology-change");
    const body = {
      ...forScheme(d.topologyChanges[0].body, scheme),
      topologyChangeId: `TC-AUDIT-${process.pid}`,
    };
    return {
      method: "POST",
      path: "/anm/topology-changes",
      key: local.stack.keys.anm,
      body,
      status: 201,
      subject: `${scheme}/${DATE}/${body.topologyChangeId}`,
      action: "topology-change.applied",
      actor: { role: "anm", principalId: "anm" },
      from: false,
      to: true,
      clockAt: "2027-06-14T12:41:05+01:00",
    };
  },
  StartSettlementRun: async () => {
    await published();
    return {
      method: "POST",
      path: "/settlement-runs",
      ...operator(),
      body: { month: DATE.slice(0, 7) },
      status: 202,
      subject: (answer) => answer.settlementRunId,
      action: "settlement-run.started",
      actor: OPERATOR,
      from: false,
      to: true,
      clockAt: "2027-07-06T09:00:00+01:00",
    };
  },
  CreateRegistration: async () => ({
    method: "POST",
    path: "/registrations",
    body: registrationBody("AUDREG"),
    status: 201,
    subject: (answer) => answer.participantId,
    action: "participant.registered",
    actor: ANONYMOUS,
    from: false,
    to: true,
  }),
  DecideParticipant: async () => {
    const { participantId } = await newRegistration("AUDDEC");
    return {
      method: "POST",
      path: `/participants/${participantId}/decision`,
      ...operator(),
      body: { decision: "approve" },
      status: 200,
      subject: participantId,
      action: "participant.approved",
      actor: OPERATOR,
      from: true,
      to: true,
    };
  },
  ClaimApiKey: async () => {
    const { participantId, claimSecret } = await newApproved("AUDCLAIM");
    return {
      method: "POST",
      path: `/registrations/${participantId}/api-key`,
      body: { claimSecret },
      status: 201,
      subject: participantId,
      action: "participant.api-key-issued",
      actor: ANONYMOUS,
      // The participant's first key: there was none before.
      from: false,
      to: true,
    };
  },
  CreateAsset: async () => {
    const holder = await newKeyholder("AUDASSET");
    return {
      method: "POST",
      path: "/assets",
      key: holder.apiKey,
      body: assetBody(world.anmSchemeId, "AUD-ASSET-1"),
      status: 201,
      subject: (answer) => answer.assetId,
      action: "asset.registered",
      actor: participantActor(holder),
      from: false,
      to: true,
    };
  },
  CreateAssetsInBulk: async () => {
    const holder = await newKeyholder("AUDBULK");
    const header = ASSET_CSV_COLUMNS.map((c) => c.column);
    const cells: Record<string, string> = {
      "Asset Name": "Audit bulk site",
      "Asset Type": "discrete",
      "Technology Type": "wind",
      "Export Capacity (MW)": "10",
      "Connection Voltage (kV)": "33",
      "Site Postcode": "M1 1AA",
      "ANM Scheme ID": world.anmSchemeId,
      "MOL Entry IDs": "AUD-BULK-1",
    };
    return {
      method: "POST",
      path: "/assets:bulk",
      key: holder.apiKey,
      body: `${header.join(",")}\n${header.map((c) => cells[c] ?? "").join(",")}\n`,
      headers: { "content-type": "text/csv" },
      status: 200,
      subject: (answer) => answer.results[0].assetId,
      action: "asset.registered",
      actor: participantActor(holder),
      from: false,
      to: true,
    };
  },
  DecideAsset: async () => {
    const holder = await newKeyholder("AUDQUAL");
    const { assetId } = await local.api.expect(201, "POST", "/assets", {
      key: holder.apiKey,
      body: assetBody(world.anmSchemeId, "AUD-QUAL-1"),
    });
    return {
      method: "POST",
      path: `/assets/${assetId}/decision`,
      ...operator(),
      body: { decision: "qualify" },
      status: 200,
      subject: assetId,
      action: "asset.qualified",
      actor: OPERATOR,
      from: true,
      to: true,
    };
  },
  ReissueParticipantKey: async () => {
    const holder = await newKeyholder("AUDREISSUE");
    return {
      method: "POST",
      path: `/participants/${holder.participantId}/key-reissues`,
      ...operator(),
      body: {},
      status: 201,
      subject: holder.participantId,
      action: "participant.api-key-reissued",
      actor: OPERATOR,
      from: true,
      to: true,
    };
  },
  RotateOwnApiKey: async () => {
    const holder = await newKeyholder("AUDROTATE");
    return {
      method: "POST",
      path: "/me/api-key-rotations",
      key: holder.apiKey,
      body: {},
      status: 201,
      subject: holder.participantId,
      action: "participant.api-key-rotated",
      actor: participantActor(holder),
      from: true,
      to: true,
    };
  },
  PutScheme: async () => ({
    method: "PUT",
    path: `/schemes/AUDIT-PUT-${process.pid}`,
    ...operator(),
    body: { name: "Audit scheme", effectiveFrom: "2030-01-01", config: {} },
    status: 201,
    subject: `AUDIT-PUT-${process.pid}`,
    action: "scheme.registered",
    actor: OPERATOR,
    from: false,
    to: true,
  }),
  IssueAnmKey: async () => {
    const scheme = `AUDIT-ANM-${process.pid}`;
    await local.api.expect(201, "PUT", `/schemes/${scheme}`, {
      ...operator(),
      body: { name: "Audit ANM", effectiveFrom: "2030-01-01", config: {} },
    });
    return {
      method: "POST",
      path: `/schemes/${scheme}/anm-keys`,
      ...operator(),
      body: {},
      status: 201,
      subject: (answer) => answer.keyId,
      action: "api-key.issued",
      actor: OPERATOR,
      from: false,
      to: true,
    };
  },
  RevokeApiKey: async () => {
    const holder = await newKeyholder("AUDREVOKE");
    const keyId = keyIdOf(hashApiKey(holder.apiKey));
    return {
      method: "DELETE",
      path: `/api-keys/${keyId}`,
      ...operator(),
      status: 200,
      // A participant's key is recorded under the participant (an ANM key under its id).
      subject: holder.participantId,
      action: "api-key.revoked",
      actor: OPERATOR,
      from: true,
      to: true,
    };
  },
  PostLookAhead: async () => ({
    method: "POST",
    path: "/anm/look-aheads",
    key: local.stack.keys.anm,
    body: lookAhead(600_000),
    status: 202,
    subject: (answer) => answer.cycleId,
    action: "look-ahead.accepted",
    actor: { role: "anm", principalId: "anm" },
    from: false,
    to: true,
  }),
  SubmitOrder: async () => ({
    method: "POST",
    path: "/orders",
    key: trader("g4").apiKey,
    body: order("G4-A", "buy", 4.5),
    status: 201,
    subject: (answer) => answer.orderId,
    action: "order.placed",
    actor: participantActor(trader("g4")),
    from: false,
    to: true,
  }),
  AmendOrder: async () => {
    const placed = await local.api.expect(201, "POST", "/orders", {
      key: trader("g5").apiKey,
      body: order("G5-A", "sell", 3),
    });
    return {
      method: "PATCH",
      path: `/orders/${placed.orderId}`,
      key: trader("g5").apiKey,
      body: { quantityMw: 2 },
      status: 200,
      subject: placed.orderId,
      action: "order.amended",
      actor: participantActor(trader("g5")),
      from: true,
      to: true,
    };
  },
  WithdrawOrder: async () => {
    const placed = await local.api.expect(201, "POST", "/orders", {
      key: trader("g1").apiKey,
      body: order("G1-A", "sell", 1),
    });
    return {
      method: "DELETE",
      path: `/orders/${placed.orderId}`,
      key: trader("g1").apiKey,
      status: 200,
      subject: placed.orderId,
      action: "order.withdrawn",
      actor: participantActor(trader("g1")),
      from: true,
      to: true,
    };
  },
  PutWebhookEndpoint: async () => {
    const holder = await newKeyholder("AUDHOOK");
    world.receivers.script("/audhook", {});
    return {
      method: "PUT",
      path: "/webhook-endpoint",
      key: holder.apiKey,
      body: { url: world.receivers.url("/audhook") },
      status: 201,
      subject: holder.participantId,
      action: "webhook-endpoint.created",
      actor: participantActor(holder),
      from: false,
      to: true,
    };
  },
  DeleteWebhookEndpoint: async () => {
    const holder = await withEndpoint("auddelete");
    return {
      method: "DELETE",
      path: "/webhook-endpoint",
      key: holder.apiKey,
      status: 204,
      subject: holder.participantId,
      action: "webhook-endpoint.deleted",
      actor: participantActor(holder),
      from: true,
      to: false,
    };
  },
  RotateWebhookSecret: async () => {
    const holder = await withEndpoint("audsecret");
    return {
      method: "POST",
      path: "/webhook-endpoint/secret-rotations",
      key: holder.apiKey,
      status: 201,
      subject: holder.participantId,
      action: "webhook-endpoint.secret-rotated",
      actor: participantActor(holder),
      from: true,
      to: true,
    };
  },
  RetryWebhookDelivery: async () => {
    const holder = await withEndpoint("audretry");
    const { deliveryId } = await local.api.expect(202, "POST", "/webhook-endpoint/test", {
      key: holder.apiKey,
    });
    await waitFor(
      () => local.api.request("GET", `/webhook-deliveries/${deliveryId}`, { key: holder.apiKey }),
      (answer) => answer.status === 200 && answer.body.status !== "pending",
      30_000,
      250,
    );
    return {
      method: "POST",
      path: `/webhook-deliveries/${deliveryId}/retry`,
      key: holder.apiKey,
      status: 202,
      subject: holder.participantId,
      action: "webhook-delivery.retry-requested",
      actor: participantActor(holder),
      from: true,
      to: true,
    };
  },
};

/** Write routes that change no record the platform keeps, with the reason. */
const NO_AUDIT_RECORD: Partial<Record<RouteId, string>> = {
  TestWebhookEndpoint:
    "sends a `webhook.test` event to the caller's own endpoint and changes nothing it configured; the delivery and its attempts are in the caller's delivery log (R-NOTIFY-8)",
};

/**
 * Write routes and workflows this walk does not reach yet, with what stands in for it. The
 * settlement run's steps record their progress on the run rather than as `system:<state>`.
 * Listed so that nothing else is added unwalked; each entry goes when the walk covers it.
 */
const NOT_WALKED_YET: Partial<Record<RouteId, string>> = {
  PostMarketVeto:
    "needs a market with trades before the veto deadline: market.vetoed (to: vetoed) in the change's transaction (D-264), walked in market-vetoes.test.ts, not here yet",
};
const WORKFLOWS_NOT_WALKED_YET = new Set(["settlement-run"]);

const WRITE_ROUTES = ROUTES.filter((route) => route.method !== "GET").map(
  (route) => route.id as RouteId,
);

beforeAll(async () => {
  doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: "eu-west-2",
      endpoint: local.stack.dynamoDbEndpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    }),
  );
  const receivers = await new WebhookReceivers().start();
  const body = lookAhead(45_000);
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
  body.gateClosureAt = new Date(Date.now() + 45_000).toISOString();
  const { cycleId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
    key: local.stack.keys.anm,
    body,
  });
  await waitFor(
    () => local.api.expect(200, "GET", `/cycles/${cycleId}`, operator()),
    (c) => c.status === "markets-open",
    60_000,
    300,
  );
  const [{ marketId }] = (
    await local.api.expect(200, "GET", `/opportunities?deliveryDate=${DATE}`, {
      key: traders.get("g4")!.apiKey,
    })
  ).items;
  // A second scheme-day without orders, published on its own, for the routes after gate closure.
  const day = lookAhead(20_000);
  const { cycleId: publishedCycleId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
    key: local.stack.keys.anm,
    body: day,
  });
  world = {
    traders,
    anmSchemeId: body.anmSchemeId,
    cycleId,
    marketId,
    receivers,
    publishedDay: { anmSchemeId: day.anmSchemeId, cycleId: publishedCycleId },
  };
  return () => receivers.stop();
}, 120_000);

describe("every write route leaves its audit record (D-24, D-139)", () => {
  it("has a case or a stated reason for each write route of ROUTES, and nothing else", () => {
    const covered = [
      ...Object.keys(CASES),
      ...Object.keys(NO_AUDIT_RECORD),
      ...Object.keys(NOT_WALKED_YET),
    ].sort();
    expect(covered).toEqual([...WRITE_ROUTES].sort());
  });

  it.each(WRITE_ROUTES.filter((id) => CASES[id]))(
    "%s: the caller, the action and from/to, in the change's own transaction",
    async (routeId) => {
      const c = await CASES[routeId]!();
      const since = new Date(Date.now() - 1).toISOString();
      if (c.clockAt) {
        const ms = Date.parse(c.clockAt);
        clockSource.current = { nowMs: () => ms };
      }
      const answer = await local.api
        .expect(c.status, c.method, c.path, {
          ...(c.key ? { key: c.key } : {}),
          ...(c.body === undefined ? {} : { body: c.body }),
          ...(c.headers ? { headers: c.headers } : {}),
        })
        .finally(() => {
          clockSource.current = systemClock;
        });
      const subject = typeof c.subject === "string" ? c.subject : c.subject(answer);
      const records = (await auditSince(since)).filter((r) => r.subject === subject);
      expect(
        records.map((r) => r.action),
        `${routeId} wrote no ${c.action} record`,
      ).toContain(c.action);
      const record = records.find((r) => r.action === c.action)!;
      expect(record.actor).toMatchObject(c.actor);
      // A keyed caller is named by its key's public id too (D-196).
      if (c.key) expect(record.actor.keyId).toBe(keyIdOf(hashApiKey(c.key)));
      expect(typeof record.from, `${routeId}: from`).toBe(c.from ? "string" : "undefined");
      expect(typeof record.to, `${routeId}: to`).toBe(c.to ? "string" : "undefined");
      if (c.from && c.to) expect(record.to).not.toBe(record.from);
    },
    60_000,
  );
});

/** Every Task state of every workflow's ASL (inside Map and Parallel states too). */
function taskStates(definitionFile: string): string[] {
  const asl = JSON.parse(readFileSync(join(REPO_ROOT, definitionFile), "utf8"));
  const out: string[] = [];
  const walk = (machine: { States: Record<string, any> }) => {
    for (const [name, state] of Object.entries(machine.States)) {
      if (state.Type === "Task") out.push(name);
      for (const inner of [state.Iterator, state.ItemProcessor, ...(state.Branches ?? [])])
        if (inner) walk(inner);
    }
  };
  walk(asl);
  return out;
}

describe("every workflow step leaves its audit record (D-139, D-141)", () => {
  it("each Task state of the ASL, once it has run, is in its cycle's trail as system:<state> with from/to", async () => {
    expect(WORKFLOWS.map((w) => w.name)).toEqual(
      expect.arrayContaining([...WORKFLOWS_NOT_WALKED_YET]),
    );
    const states = WORKFLOWS.filter((w) => !WORKFLOWS_NOT_WALKED_YET.has(w.name)).flatMap((w) =>
      taskStates(w.definitionFile),
    );
    // The fallback path: a cycle whose Publish fails publishes the original MOL and is marked failed.
    const failing = lookAhead(8_000);
    const { cycleId: failingId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body: failing,
    });
    failPublish.add(failingId);
    const statusOf = (cycleId: string) =>
      local.api.expect(200, "GET", `/cycles/${cycleId}`, operator());
    await waitFor(
      () => statusOf(world.cycleId),
      (c) => c.status === "published",
      120_000,
      500,
    );
    await waitFor(
      () => statusOf(failingId),
      (c) => c.status === "failed",
      120_000,
      500,
    );

    const missing: string[] = [];
    for (const state of states) {
      const runs = ran.filter((r) => r.state === state);
      if (runs.length === 0) {
        missing.push(`${state}: never ran (the walk does not reach it)`);
        continue;
      }
      for (const { cycleId } of runs) {
        const own = (await auditOf(cycleId)).filter(
          (r) => r.actor.role === "system" && r.actor.principalId === `system:${state}`,
        );
        if (own.length === 0) missing.push(`${state} of ${cycleId}: no record`);
        for (const r of own) {
          if (!/^[a-z-]+\.[a-z-]+$/.test(r.action)) missing.push(`${state}: action ${r.action}`);
          if (r.to === undefined) missing.push(`${state}: ${r.action} without to`);
          // Every step but the first follows another: from names it.
          if (r.action === "cycle.step-started" && r.from === undefined && state !== states[0])
            missing.push(`${state}: ${r.action} without from`);
        }
      }
    }
    expect(missing).toEqual([]);
  }, 240_000);
});

describe("a cancelled transaction leaves neither the change nor its record", () => {
  it("an order whose market closes between the read and the write: no order, no order.placed", async () => {
    const doomed = lookAhead(600_000);
    const holder = await onboard(local.api, local.stack.keys.operator, {
      name: "RACER",
      anmSchemeId: doomed.anmSchemeId,
      entryIds: ["G4-A"],
    });
    const { cycleId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body: doomed,
    });
    await waitFor(
      () => local.api.expect(200, "GET", `/cycles/${cycleId}`, operator()),
      (c) => c.status === "markets-open",
      60_000,
      300,
    );
    const [{ marketId }] = (
      await local.api.expect(200, "GET", `/opportunities?deliveryDate=${DATE}`, {
        key: holder.apiKey,
      })
    ).items;
    const marketKey = marketKeys.market(marketId);
    const { Item: market } = await doc.send(
      new GetCommand({ TableName: local.stack.tableName, Key: marketKey }),
    );
    expect(market?.status).toBe("open");
    // A racing writer closes the market after the order's checks read it open: the order's
    // transaction meets its condition on the market in DynamoDB Local and is cancelled.
    beforeNextTransaction = async () => {
      await doc.send(
        new UpdateCommand({
          TableName: local.stack.tableName,
          Key: marketKey,
          UpdateExpression: "SET #s = :closed",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":closed": "closed" },
        }),
      );
    };
    const since = new Date(Date.now() - 1).toISOString();
    const refused = await local.api.request("POST", "/orders", {
      key: holder.apiKey,
      body: { ...order("G4-A", "buy", 1), marketId },
    });
    expect(beforeNextTransaction).toBeUndefined();
    expect([refused.status, refused.body?.code]).toEqual([409, "GATE_CLOSED"]);
    const placed = (await auditSince(since)).filter((r) => r.action === "order.placed");
    expect(placed).toEqual([]);
    const orders = await local.api.expect(200, "GET", `/orders?marketId=${marketId}`, operator());
    expect(orders.items).toEqual([]);
  }, 120_000);
});
