import { hashApiKey } from "../../functions/adapters/credentials";
import { keyIdOf } from "../../functions/core/access/api-key";
import { ASSET_CSV_COLUMNS } from "../../functions/core/access/asset-csv-columns";
import type { RouteId } from "../../functions/http/routes";
import { type AccessWorld, CALLERS, type Caller, type HttpAnswer } from "./access-world";

/**
 * The authorization matrix (reliability.md AZ): for every route of ROUTES, what each caller gets
 * — none, unknown key, suspended participant, participant A (owns the objects), participant B,
 * ANM, operator. `test/integration/access-control.test.ts` runs every cell against the local
 * stack and fails when a route of ROUTES has no row here.
 *
 * A row builds its own request per cell (`request`), so a mutating route can make a fresh object
 * for each cell; `check` may look further at an allowed answer (e.g. that a list holds only the
 * caller's objects). An expectation is a status, or `"allowed"` for "passes authorization" (any
 * status but 401, 403, 404 and 5xx) when a row only checks access.
 *
 * The market routes have their rows here too (ListOrders, SubmitOrder, …), e.g. with `byRoles`
 * and a request builder that makes the needed market first.
 */
export type Expectation = number | "allowed";

export interface AccessRequest {
  readonly path: string;
  /**
   * The key to call with instead of the caller's own: a route that uses its caller's key up
   * (rotation) gets a fresh participant's key, so the matrix's keys stay valid.
   */
  readonly key?: string;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  /** A body sent as is (a CSV), with {@link headers} naming its type. */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

export interface RouteAccess {
  readonly request: (world: AccessWorld, caller: Caller) => Promise<AccessRequest> | AccessRequest;
  readonly expect: Readonly<Record<Caller, Expectation>>;
  readonly check?: (world: AccessWorld, caller: Caller, answer: HttpAnswer) => void;
}

type KeyedCaller = "participantA" | "participantB" | "anm" | "operator";

/**
 * Expectations from the route's roles: no key, an unknown key or a suspended participant's key
 * 401; a role not listed 403; listed roles get `allowed` (per caller), B defaulting to A's.
 */
export function byRoles(
  roles: readonly ("participant" | "anm" | "operator")[],
  allowed: Partial<Record<KeyedCaller, Expectation>> & { participantA?: Expectation },
): Record<Caller, Expectation> {
  const role = (caller: KeyedCaller) =>
    (caller.startsWith("participant") ? "participant" : caller) as
      | "participant"
      | "anm"
      | "operator";
  const cell = (caller: KeyedCaller): Expectation =>
    roles.includes(role(caller))
      ? (allowed[caller] ??
        (caller === "participantB" ? allowed.participantA : undefined) ??
        "allowed")
      : 403;
  return {
    none: 401,
    unknown: 401,
    suspended: 401,
    participantA: cell("participantA"),
    participantB: cell("participantB"),
    anm: cell("anm"),
    operator: cell("operator"),
  };
}

/** The same status for every caller (public routes: no authorizer). */
export function everyone(status: number): Record<Caller, Expectation> {
  return Object.fromEntries(CALLERS.map((caller) => [caller, status])) as Record<
    Caller,
    Expectation
  >;
}

/** A scheme of the matrix's own, with one configuration version (stored once, then replayed). */
const ACCESS_SCHEME = "ACCESS-SCHEME";
async function registeredScheme(world: AccessWorld): Promise<string> {
  const answer = await world.call("PUT", `/schemes/${ACCESS_SCHEME}`, {
    key: world.keys.operator,
    body: { name: "Access matrix", effectiveFrom: "2030-01-01", config: {} },
  });
  if (answer.status !== 201 && answer.status !== 200)
    throw new Error(`PUT /schemes/${ACCESS_SCHEME}: ${answer.status} ${answer.text}`);
  return ACCESS_SCHEME;
}

export const ROUTE_ACCESS: Partial<Record<RouteId, RouteAccess>> & Record<string, RouteAccess> = {
  GetHealth: { request: () => ({ path: "/health" }), expect: everyone(200) },
  GetOpenApi: { request: () => ({ path: "/openapi.json" }), expect: everyone(200) },
  GetWhoAmI: {
    request: () => ({ path: "/whoami" }),
    expect: byRoles(["participant", "anm", "operator"], {
      participantA: 200,
      anm: 200,
      operator: 200,
    }),
  },
  CreateRegistration: {
    request: (world) => ({ path: "/registrations", body: world.registrationBody() }),
    expect: everyone(201),
  },
  ListParticipants: {
    request: () => ({ path: "/participants", query: { status: "approved" } }),
    expect: byRoles(["operator"], { operator: 200 }),
  },
  GetParticipant: {
    request: (world) => ({ path: `/participants/${world.participantA.participantId}` }),
    expect: byRoles(["operator"], { operator: 200 }),
  },
  DecideParticipant: {
    request: async (world) => {
      const { participantId } = await world.newRegistration();
      return { path: `/participants/${participantId}/decision`, body: { decision: "approve" } };
    },
    expect: byRoles(["operator"], { operator: 200 }),
  },
  ClaimApiKey: {
    request: async (world) => {
      const { participantId, claimSecret } = await world.newApprovedRegistration();
      return { path: `/registrations/${participantId}/api-key`, body: { claimSecret } };
    },
    expect: everyone(201),
  },
  GetMe: {
    request: () => ({ path: "/me" }),
    expect: byRoles(["participant"], { participantA: 200 }),
    check: (world, caller, answer) => {
      const own = caller === "participantA" ? world.participantA : world.participantB;
      if (answer.body.participantId !== own.participantId)
        throw new Error("GET /me answered another participant");
    },
  },
  CreateAsset: {
    request: (world) => ({ path: "/assets", body: world.assetBody() }),
    expect: byRoles(["participant"], { participantA: 201 }),
  },
  CreateAssetsInBulk: {
    request: (world) => {
      const body = world.assetBody() as Record<string, unknown>;
      const cells = ASSET_CSV_COLUMNS.map((c) => {
        const value = body[c.field];
        return Array.isArray(value) ? value.join(";") : value === undefined ? "" : String(value);
      });
      return {
        path: "/assets:bulk",
        rawBody: `${ASSET_CSV_COLUMNS.map((c) => c.column).join(",")}\n${cells.join(",")}\n`,
        headers: { "content-type": "text/csv" },
      };
    },
    expect: byRoles(["participant"], { participantA: 200 }),
    check: (_world, _caller, answer) => {
      if (answer.body.counts?.created !== 1) throw new Error("the row was not created");
    },
  },
  ListAssets: {
    request: () => ({ path: "/assets" }),
    expect: byRoles(["participant", "operator"], { participantA: 200, operator: 200 }),
    check: (world, caller, answer) => {
      const ids = (answer.body.items as Array<{ assetId: string; participantId: string }>).map(
        (a) => a.assetId,
      );
      const seesA = ids.includes(world.assetOfA.assetId);
      if (caller === "participantB" && seesA) throw new Error("participant B sees A's asset");
      if (caller !== "participantB" && !seesA) throw new Error(`${caller} does not see A's asset`);
      if (caller === "participantB") {
        for (const asset of answer.body.items) {
          if (asset.participantId !== world.participantB.participantId)
            throw new Error("B sees another's asset");
        }
      }
    },
  },
  GetAsset: {
    request: (world) => ({ path: `/assets/${world.assetOfA.assetId}` }),
    expect: byRoles(["participant", "operator"], {
      participantA: 200,
      participantB: 404,
      operator: 200,
    }),
  },
  DecideAsset: {
    request: async (world) => {
      const { assetId } = await world.newAsset(world.participantA);
      return { path: `/assets/${assetId}/decision`, body: { decision: "qualify" } };
    },
    expect: byRoles(["operator"], { operator: 200 }),
  },
  // Schemes and keys (D-190, D-195..D-198).
  ReissueParticipantKey: {
    request: async (world, caller) => ({
      path: `/participants/${caller === "operator" ? (await world.newKeyholder()).participantId : world.participantB.participantId}/key-reissues`,
      body: {},
    }),
    expect: byRoles(["operator"], { operator: 201 }),
  },
  RotateOwnApiKey: {
    request: async (world, caller) => ({
      path: "/me/api-key-rotations",
      body: {},
      ...(caller.startsWith("participant") ? { key: (await world.newKeyholder()).apiKey } : {}),
    }),
    expect: byRoles(["participant"], { participantA: 201 }),
  },
  PutScheme: {
    request: (_world, caller) => ({
      path: `/schemes/ACCESS-PUT-${caller}`,
      body: { name: "Access matrix", effectiveFrom: "2030-01-01", config: {} },
    }),
    expect: byRoles(["operator"], { operator: 201 }),
  },
  ListSchemes: {
    request: () => ({ path: "/schemes" }),
    expect: byRoles(["operator", "anm"], { operator: 200, anm: 200 }),
  },
  GetScheme: {
    request: async (world) => ({ path: `/schemes/${await registeredScheme(world)}` }),
    // The local stack's bootstrap ANM key acts for every scheme (D-195).
    expect: byRoles(["operator", "anm"], { operator: 200, anm: 200 }),
  },
  IssueAnmKey: {
    request: async (world) => ({
      path: `/schemes/${await registeredScheme(world)}/anm-keys`,
      body: {},
    }),
    expect: byRoles(["operator"], { operator: 201 }),
  },
  ListApiKeys: {
    request: () => ({ path: "/api-keys" }),
    expect: byRoles(["operator"], { operator: 200 }),
    check: (_world, _caller, answer) => {
      if (answer.text.includes("btr_")) throw new Error("GET /api-keys shows a key");
    },
  },
  RevokeApiKey: {
    request: async (world, caller) => ({
      path: `/api-keys/${keyIdOf(hashApiKey(caller === "operator" ? (await world.newKeyholder()).apiKey : world.participantB.apiKey))}`,
    }),
    expect: byRoles(["operator"], { operator: 200 }),
  },
  ListAuditRecords: {
    request: (world) => ({ path: "/audit", query: { subject: world.participantA.participantId } }),
    expect: byRoles(["operator"], { operator: 200 }),
  },
  // Day-ahead market. Objects that do not exist answer 404 to allowed callers, exactly
  // as another participant's objects do; bodies that fail validation answer 400 after the
  // authorizer let the caller through.
  PostLookAhead: {
    request: () => ({ path: "/anm/look-aheads", body: {} }),
    expect: byRoles(["anm"], { anm: 400 }),
  },
  GetMeritOrder: {
    request: () => ({
      path: "/anm/merit-order",
      query: { anmSchemeId: "NO-SCHEME", deliveryDate: "2027-06-14", constraintId: "C1" },
    }),
    expect: byRoles(["anm", "operator"], { anm: 404, operator: 404 }),
  },
  PostTopologyChange: {
    request: () => ({ path: "/anm/topology-changes", body: {} }),
    expect: byRoles(["anm", "operator"], { anm: 400, operator: 400 }),
  },
  PostMarketVeto: {
    request: () => ({ path: "/anm/market-vetoes", body: {} }),
    expect: byRoles(["anm", "operator"], { anm: 400, operator: 400 }),
  },
  ListTopologyChanges: {
    request: () => ({
      path: "/anm/topology-changes",
      query: { anmSchemeId: "NO-SCHEME", deliveryDate: "2027-06-14" },
    }),
    expect: byRoles(["anm", "operator"], { anm: 200, operator: 200 }),
  },
  ListOpportunities: {
    request: () => ({ path: "/opportunities", query: { deliveryDate: "2027-06-14" } }),
    expect: byRoles(["participant"], { participantA: 200 }),
  },
  ListMarkets: {
    request: () => ({ path: "/markets", query: { deliveryDate: "2027-06-14" } }),
    expect: byRoles(["participant", "operator"], { participantA: 200, operator: 200 }),
  },
  GetMarket: {
    request: () => ({ path: "/markets/mkt-none" }),
    expect: byRoles(["participant", "operator"], { participantA: 404, operator: 404 }),
  },
  SubmitOrder: {
    request: () => ({ path: "/orders", body: {} }),
    expect: byRoles(["participant"], { participantA: 400 }),
  },
  ListOrders: {
    // Without marketId the operator is asked to name one (D-151).
    request: () => ({ path: "/orders" }),
    expect: byRoles(["participant", "operator"], { participantA: 200, operator: 400 }),
  },
  GetOrder: {
    request: () => ({ path: "/orders/ord-none" }),
    expect: byRoles(["participant"], { participantA: 404 }),
  },
  AmendOrder: {
    request: () => ({ path: "/orders/ord-none", body: { quantityMw: 1 } }),
    expect: byRoles(["participant"], { participantA: 404 }),
  },
  WithdrawOrder: {
    request: () => ({ path: "/orders/ord-none" }),
    expect: byRoles(["participant"], { participantA: 404 }),
  },
  ListTrades: {
    request: () => ({ path: "/trades", query: { deliveryDate: "2027-06-14" } }),
    expect: byRoles(["participant", "operator"], { participantA: 200, operator: 200 }),
  },
  ListCycles: {
    request: () => ({ path: "/cycles", query: { deliveryDate: "2027-06-14" } }),
    expect: byRoles(["operator"], { operator: 200 }),
  },
  GetCycle: {
    request: () => ({ path: "/cycles/cyc-none" }),
    expect: byRoles(["operator"], { operator: 404 }),
  },
  GetCycleExecution: {
    request: () => ({ path: "/cycles/cyc-none/execution" }),
    expect: byRoles(["operator"], { operator: 404 }),
  },
  // Webhooks: one endpoint per participant or ANM; nothing is registered in this world, so
  // the endpoint routes answer 404 (409 for the test event) to the callers they let through,
  // and a URL the platform may not call is 422 after the authorizer.
  PutWebhookEndpoint: {
    request: () => ({ path: "/webhook-endpoint", body: { url: "https://10.0.0.1/hook" } }),
    expect: byRoles(["participant", "anm"], { participantA: 422, anm: 422 }),
  },
  GetWebhookEndpoint: {
    request: () => ({ path: "/webhook-endpoint" }),
    expect: byRoles(["participant", "anm"], { participantA: 404, anm: 404 }),
  },
  DeleteWebhookEndpoint: {
    request: () => ({ path: "/webhook-endpoint" }),
    expect: byRoles(["participant", "anm"], { participantA: 404, anm: 404 }),
  },
  RotateWebhookSecret: {
    request: () => ({ path: "/webhook-endpoint/secret-rotations" }),
    expect: byRoles(["participant", "anm"], { participantA: 404, anm: 404 }),
  },
  TestWebhookEndpoint: {
    request: () => ({ path: "/webhook-endpoint/test" }),
    expect: byRoles(["participant", "anm"], { participantA: 409, anm: 409 }),
  },
  ListWebhookDeliveries: {
    request: () => ({ path: "/webhook-deliveries" }),
    expect: byRoles(["participant", "anm"], { participantA: 200, anm: 200 }),
  },
  GetWebhookDelivery: {
    request: () => ({ path: "/webhook-deliveries/dlv_00000000000000000000" }),
    expect: byRoles(["participant", "anm"], { participantA: 404, anm: 404 }),
  },
  RetryWebhookDelivery: {
    request: () => ({ path: "/webhook-deliveries/dlv_00000000000000000000/retry" }),
    expect: byRoles(["participant", "anm"], { participantA: 404, anm: 404 }),
  },
  ListMeritOrderInstructions: {
    request: () => ({
      path: "/merit-order-instructions",
      query: { deliveryDate: "2027-06-14", constraintId: "C1" },
    }),
    expect: byRoles(["participant", "anm", "operator"], {
      participantA: 200,
      anm: 404,
      operator: 404,
    }),
  },
  // After delivery. Nothing is delivered in this world: reads answer empty pages (or 404 for
  // a scheme-day without a published day-ahead, or an entry the participant does not own) and
  // writes with an empty body 400 once the authorizer let the caller through.
  PostActuals: {
    request: () => ({ path: "/anm/actuals", body: {} }),
    expect: byRoles(["anm", "operator"], { anm: 400, operator: 400 }),
  },
  GetActuals: {
    request: () => ({
      path: "/anm/actuals",
      query: { anmSchemeId: "NO-SCHEME", deliveryDate: "2027-06-14" },
    }),
    expect: byRoles(["anm", "operator"], { anm: 404, operator: 404 }),
  },
  CreateMeterUpload: {
    request: () => ({
      path: "/meter-uploads",
      body: { contentType: "text/csv", contentLength: 64 },
    }),
    expect: byRoles(["participant", "operator"], { participantA: 201, operator: 201 }),
  },
  GetMeterUpload: {
    request: () => ({ path: "/meter-uploads/mup-00000000000000000000" }),
    expect: byRoles(["participant", "operator"], { participantA: 404, operator: 404 }),
  },
  SubmitMeterReadings: {
    request: () => ({ path: "/meter-readings", body: {} }),
    expect: byRoles(["participant", "operator"], { participantA: 400, operator: 400 }),
  },
  ListMeterReadings: {
    request: () => ({
      path: "/meter-readings",
      query: { entryId: "NO-ENTRY", deliveryDate: "2027-06-14" },
    }),
    expect: byRoles(["participant", "operator"], { participantA: 404, operator: 200 }),
  },
  PutBaseline: {
    request: () => ({ path: "/baselines", body: {} }),
    expect: byRoles(["participant"], { participantA: 400 }),
  },
  ListBaselines: {
    request: () => ({ path: "/baselines", query: { deliveryDate: "2027-06-14" } }),
    expect: byRoles(["participant", "operator"], { participantA: 200, operator: 200 }),
  },
  ListPerformance: {
    request: () => ({ path: "/performance", query: { deliveryDate: "2027-06-14" } }),
    expect: byRoles(["participant", "operator"], { participantA: 200, operator: 200 }),
  },
  ListThirdPartyImpacts: {
    request: () => ({ path: "/third-party-impacts", query: { deliveryDate: "2027-06-14" } }),
    expect: byRoles(["operator"], { operator: 200 }),
  },
  StartSettlementRun: {
    request: () => ({ path: "/settlement-runs", body: { month: "2099-01" } }),
    expect: byRoles(["operator"], { operator: 409 }),
  },
  ListSettlementRuns: {
    request: () => ({ path: "/settlement-runs", query: { month: "2027-06" } }),
    expect: byRoles(["operator"], { operator: 200 }),
  },
  GetSettlementRun: {
    request: () => ({ path: "/settlement-runs/srun-00000000000000000000" }),
    expect: byRoles(["operator"], { operator: 404 }),
  },
  ListStatements: {
    request: () => ({ path: "/statements", query: { month: "2027-06" } }),
    expect: byRoles(["participant", "operator"], { participantA: 200, operator: 200 }),
  },
  GetStatement: {
    request: () => ({ path: "/statements/stm-00000000000000000000" }),
    expect: byRoles(["participant", "operator"], { participantA: 404, operator: 404 }),
  },
  GetCurtailmentIndex: {
    request: () => ({ path: "/curtailment-index", query: { financialYear: "2027-28" } }),
    expect: byRoles(["participant", "operator", "anm"], {
      participantA: 200,
      operator: 200,
      anm: 200,
    }),
  },
};
