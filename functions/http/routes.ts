import type { Role } from "../core/access/roles";
import type { Grants } from "../wiring";

/**
 * ROUTE TABLE — data only. The CDK API (`lib/constructs/market-api.ts`), the local API server
 * (`lib/local/api-server.ts`), the authorizer's policy and the OpenAPI document are all built from
 * it; nothing else declares a route.
 *
 * - `id`: PascalCase, identical to the handler file in kebab-case (`GetHealth` ↔ `get-health.ts`).
 * - `roles`: `"none"` for a public route, otherwise the roles allowed to call it (401 without a
 *   valid key, 403 with a key of another role).
 * - `entry`: the handler module, relative to the repository root; it exports `handler`.
 * - `grants`: what the handler may touch (functions/wiring.ts); the stack grants exactly this.
 */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type RouteRoles = "none" | readonly [Role, ...Role[]];

export interface Route {
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway resource path; path parameters as `{name}`. */
  readonly path: string;
  readonly roles: RouteRoles;
  readonly entry: string;
  readonly grants: Grants;
}

export const ROUTES = [
  {
    id: "GetHealth",
    method: "GET",
    path: "/health",
    roles: "none",
    entry: "functions/http/handlers/get-health.ts",
    grants: { table: "read" },
  },
  {
    id: "GetOpenApi",
    method: "GET",
    path: "/openapi.json",
    roles: "none",
    entry: "functions/http/handlers/get-open-api.ts",
    grants: {},
  },
  {
    id: "GetWhoAmI",
    method: "GET",
    path: "/whoami",
    roles: ["operator", "anm", "participant"],
    entry: "functions/http/handlers/get-who-am-i.ts",
    grants: {},
  },
  // Participants, assets and access control.
  {
    id: "CreateRegistration",
    method: "POST",
    path: "/registrations",
    roles: "none",
    entry: "functions/http/handlers/create-registration.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "ListParticipants",
    method: "GET",
    path: "/participants",
    roles: ["operator"],
    entry: "functions/http/handlers/list-participants.ts",
    grants: { table: "read" },
  },
  {
    id: "GetParticipant",
    method: "GET",
    path: "/participants/{participantId}",
    roles: ["operator"],
    entry: "functions/http/handlers/get-participant.ts",
    grants: { table: "read" },
  },
  {
    id: "DecideParticipant",
    method: "POST",
    path: "/participants/{participantId}/decision",
    roles: ["operator"],
    entry: "functions/http/handlers/decide-participant.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "ClaimApiKey",
    method: "POST",
    path: "/registrations/{participantId}/api-key",
    roles: "none",
    entry: "functions/http/handlers/claim-api-key.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "GetMe",
    method: "GET",
    path: "/me",
    roles: ["participant"],
    entry: "functions/http/handlers/get-me.ts",
    grants: { table: "read" },
  },
  {
    id: "CreateAsset",
    method: "POST",
    path: "/assets",
    roles: ["participant"],
    entry: "functions/http/handlers/create-asset.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "CreateAssetsInBulk",
    method: "POST",
    path: "/assets:bulk",
    roles: ["participant"],
    entry: "functions/http/handlers/create-assets-in-bulk.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "ListAssets",
    method: "GET",
    path: "/assets",
    roles: ["participant", "operator"],
    entry: "functions/http/handlers/list-assets.ts",
    grants: { table: "read" },
  },
  {
    id: "GetAsset",
    method: "GET",
    path: "/assets/{assetId}",
    roles: ["participant", "operator"],
    entry: "functions/http/handlers/get-asset.ts",
    grants: { table: "read" },
  },
  {
    id: "DecideAsset",
    method: "POST",
    path: "/assets/{assetId}/decision",
    roles: ["operator"],
    entry: "functions/http/handlers/decide-asset.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "ReissueParticipantKey",
    method: "POST",
    path: "/participants/{participantId}/key-reissues",
    roles: ["operator"],
    entry: "functions/http/handlers/reissue-participant-key.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "RotateOwnApiKey",
    method: "POST",
    path: "/me/api-key-rotations",
    roles: ["participant"],
    entry: "functions/http/handlers/rotate-own-api-key.ts",
    grants: { table: "readWrite" },
  },
  // Schemes and keys (operator): versioned configuration, scheme-bound ANM keys, revocation.
  {
    id: "PutScheme",
    method: "PUT",
    path: "/schemes/{anmSchemeId}",
    roles: ["operator"],
    entry: "functions/http/handlers/put-scheme.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "ListSchemes",
    method: "GET",
    path: "/schemes",
    roles: ["operator", "anm"],
    entry: "functions/http/handlers/list-schemes.ts",
    grants: { table: "read" },
  },
  {
    id: "GetScheme",
    method: "GET",
    path: "/schemes/{anmSchemeId}",
    roles: ["operator", "anm"],
    entry: "functions/http/handlers/get-scheme.ts",
    grants: { table: "read" },
  },
  {
    id: "IssueAnmKey",
    method: "POST",
    path: "/schemes/{anmSchemeId}/anm-keys",
    roles: ["operator"],
    entry: "functions/http/handlers/issue-anm-key.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "ListApiKeys",
    method: "GET",
    path: "/api-keys",
    roles: ["operator"],
    entry: "functions/http/handlers/list-api-keys.ts",
    grants: { table: "read" },
  },
  {
    id: "RevokeApiKey",
    method: "DELETE",
    path: "/api-keys/{keyId}",
    roles: ["operator"],
    entry: "functions/http/handlers/revoke-api-key.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "ListAuditRecords",
    method: "GET",
    path: "/audit",
    roles: ["operator"],
    entry: "functions/http/handlers/list-audit-records.ts",
    grants: { table: "read" },
  },
  // Day-ahead market: ANM interface, trading, operations.
  {
    id: "PostLookAhead",
    method: "POST",
    path: "/anm/look-aheads",
    roles: ["anm"],
    entry: "functions/http/handlers/post-look-ahead.ts",
    grants: { table: "readWrite", workflow: { DayAheadCycle: "start" } },
  },
  {
    id: "GetMeritOrder",
    method: "GET",
    path: "/anm/merit-order",
    roles: ["anm", "operator"],
    entry: "functions/http/handlers/get-merit-order.ts",
    grants: { table: "read" },
  },
  // Day-of verification (R-VERIFY): the ANM's topology changes.
  {
    id: "PostTopologyChange",
    method: "POST",
    path: "/anm/topology-changes",
    roles: ["anm", "operator"],
    entry: "functions/http/handlers/post-topology-change.ts",
    grants: { table: "readWrite", topic: { Alarms: "publish" } },
  },
  {
    id: "PostMarketVeto",
    method: "POST",
    path: "/anm/market-vetoes",
    roles: ["anm", "operator"],
    entry: "functions/http/handlers/post-market-veto.ts",
    grants: { table: "readWrite", topic: { Alarms: "publish" } },
  },
  {
    id: "ListTopologyChanges",
    method: "GET",
    path: "/anm/topology-changes",
    roles: ["anm", "operator"],
    entry: "functions/http/handlers/list-topology-changes.ts",
    grants: { table: "read" },
  },
  {
    id: "ListOpportunities",
    method: "GET",
    path: "/opportunities",
    roles: ["participant"],
    entry: "functions/http/handlers/list-opportunities.ts",
    grants: { table: "read" },
  },
  {
    id: "ListMarkets",
    method: "GET",
    path: "/markets",
    roles: ["participant", "operator"],
    entry: "functions/http/handlers/list-markets.ts",
    grants: { table: "read" },
  },
  {
    id: "GetMarket",
    method: "GET",
    path: "/markets/{marketId}",
    roles: ["participant", "operator"],
    entry: "functions/http/handlers/get-market.ts",
    grants: { table: "read" },
  },
  {
    id: "SubmitOrder",
    method: "POST",
    path: "/orders",
    roles: ["participant"],
    entry: "functions/http/handlers/submit-order.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "ListOrders",
    method: "GET",
    path: "/orders",
    roles: ["participant", "operator"],
    entry: "functions/http/handlers/list-orders.ts",
    grants: { table: "read" },
  },
  {
    id: "GetOrder",
    method: "GET",
    path: "/orders/{orderId}",
    roles: ["participant"],
    entry: "functions/http/handlers/get-order.ts",
    grants: { table: "read" },
  },
  {
    id: "AmendOrder",
    method: "PATCH",
    path: "/orders/{orderId}",
    roles: ["participant"],
    entry: "functions/http/handlers/amend-order.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "WithdrawOrder",
    method: "DELETE",
    path: "/orders/{orderId}",
    roles: ["participant"],
    entry: "functions/http/handlers/withdraw-order.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "ListTrades",
    method: "GET",
    path: "/trades",
    roles: ["participant", "operator"],
    entry: "functions/http/handlers/list-trades.ts",
    grants: { table: "read" },
  },
  {
    id: "ListCycles",
    method: "GET",
    path: "/cycles",
    roles: ["operator"],
    entry: "functions/http/handlers/list-cycles.ts",
    grants: { table: "read" },
  },
  {
    id: "GetCycle",
    method: "GET",
    path: "/cycles/{cycleId}",
    roles: ["operator"],
    entry: "functions/http/handlers/get-cycle.ts",
    grants: { table: "read" },
  },
  {
    id: "GetCycleExecution",
    method: "GET",
    path: "/cycles/{cycleId}/execution",
    roles: ["operator"],
    entry: "functions/http/handlers/get-cycle-execution.ts",
    grants: { table: "read", workflow: { DayAheadCycle: "read" } },
  },
  // Webhooks (R-NOTIFY, R-DISPATCH): one endpoint per participant or ANM scheme.
  {
    id: "PutWebhookEndpoint",
    method: "PUT",
    path: "/webhook-endpoint",
    roles: ["participant", "anm"],
    entry: "functions/http/handlers/put-webhook-endpoint.ts",
    grants: { table: "readWrite", key: { WebhookSecrets: "encrypt" } },
  },
  {
    id: "GetWebhookEndpoint",
    method: "GET",
    path: "/webhook-endpoint",
    roles: ["participant", "anm"],
    entry: "functions/http/handlers/get-webhook-endpoint.ts",
    grants: { table: "read" },
  },
  {
    id: "DeleteWebhookEndpoint",
    method: "DELETE",
    path: "/webhook-endpoint",
    roles: ["participant", "anm"],
    entry: "functions/http/handlers/delete-webhook-endpoint.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "RotateWebhookSecret",
    method: "POST",
    path: "/webhook-endpoint/secret-rotations",
    roles: ["participant", "anm"],
    entry: "functions/http/handlers/rotate-webhook-secret.ts",
    grants: { table: "readWrite", key: { WebhookSecrets: "encrypt" } },
  },
  {
    id: "TestWebhookEndpoint",
    method: "POST",
    path: "/webhook-endpoint/test",
    roles: ["participant", "anm"],
    entry: "functions/http/handlers/test-webhook-endpoint.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "ListWebhookDeliveries",
    method: "GET",
    path: "/webhook-deliveries",
    roles: ["participant", "anm"],
    entry: "functions/http/handlers/list-webhook-deliveries.ts",
    grants: { table: "read" },
  },
  {
    id: "GetWebhookDelivery",
    method: "GET",
    path: "/webhook-deliveries/{deliveryId}",
    roles: ["participant", "anm"],
    entry: "functions/http/handlers/get-webhook-delivery.ts",
    grants: { table: "read" },
  },
  {
    id: "RetryWebhookDelivery",
    method: "POST",
    path: "/webhook-deliveries/{deliveryId}/retry",
    roles: ["participant", "anm"],
    entry: "functions/http/handlers/retry-webhook-delivery.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "ListMeritOrderInstructions",
    method: "GET",
    path: "/merit-order-instructions",
    roles: ["participant", "anm", "operator"],
    entry: "functions/http/handlers/list-merit-order-instructions.ts",
    grants: { table: "read" },
  },
  // After delivery: actuals, participants' data, performance, settlement, the Curtailment Index.
  {
    id: "PostActuals",
    method: "POST",
    path: "/anm/actuals",
    roles: ["anm", "operator"],
    entry: "functions/http/handlers/post-actuals.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "GetActuals",
    method: "GET",
    path: "/anm/actuals",
    roles: ["anm", "operator"],
    entry: "functions/http/handlers/get-actuals.ts",
    grants: { table: "read" },
  },
  {
    id: "CreateMeterUpload",
    method: "POST",
    path: "/meter-uploads",
    roles: ["participant", "operator"],
    entry: "functions/http/handlers/create-meter-upload.ts",
    grants: { table: "readWrite", bucket: { MeterUploads: "write" } },
  },
  {
    id: "GetMeterUpload",
    method: "GET",
    path: "/meter-uploads/{uploadId}",
    roles: ["participant", "operator"],
    entry: "functions/http/handlers/get-meter-upload.ts",
    grants: { table: "read", bucket: { MeterUploads: "read" } },
  },
  {
    id: "SubmitMeterReadings",
    method: "POST",
    path: "/meter-readings",
    roles: ["participant", "operator"],
    entry: "functions/http/handlers/submit-meter-readings.ts",
    grants: { table: "readWrite", bucket: { MeterUploads: "read" } },
  },
  {
    id: "ListMeterReadings",
    method: "GET",
    path: "/meter-readings",
    roles: ["participant", "operator"],
    entry: "functions/http/handlers/list-meter-readings.ts",
    grants: { table: "read" },
  },
  {
    id: "PutBaseline",
    method: "PUT",
    path: "/baselines",
    roles: ["participant"],
    entry: "functions/http/handlers/put-baseline.ts",
    grants: { table: "readWrite" },
  },
  {
    id: "ListBaselines",
    method: "GET",
    path: "/baselines",
    roles: ["participant", "operator"],
    entry: "functions/http/handlers/list-baselines.ts",
    grants: { table: "read" },
  },
  {
    id: "ListPerformance",
    method: "GET",
    path: "/performance",
    roles: ["participant", "operator"],
    entry: "functions/http/handlers/list-performance.ts",
    grants: { table: "read" },
  },
  {
    id: "ListThirdPartyImpacts",
    method: "GET",
    path: "/third-party-impacts",
    roles: ["operator"],
    entry: "functions/http/handlers/list-third-party-impacts.ts",
    grants: { table: "read" },
  },
  {
    id: "StartSettlementRun",
    method: "POST",
    path: "/settlement-runs",
    roles: ["operator"],
    entry: "functions/http/handlers/start-settlement-run.ts",
    grants: { table: "readWrite", workflow: { SettlementRun: "start" } },
  },
  {
    id: "ListSettlementRuns",
    method: "GET",
    path: "/settlement-runs",
    roles: ["operator"],
    entry: "functions/http/handlers/list-settlement-runs.ts",
    grants: { table: "read" },
  },
  {
    id: "GetSettlementRun",
    method: "GET",
    path: "/settlement-runs/{settlementRunId}",
    roles: ["operator"],
    entry: "functions/http/handlers/get-settlement-run.ts",
    grants: { table: "read" },
  },
  {
    id: "ListStatements",
    method: "GET",
    path: "/statements",
    roles: ["participant", "operator"],
    entry: "functions/http/handlers/list-statements.ts",
    grants: { table: "read" },
  },
  {
    id: "GetStatement",
    method: "GET",
    path: "/statements/{statementId}",
    roles: ["participant", "operator"],
    entry: "functions/http/handlers/get-statement.ts",
    grants: { table: "read" },
  },
  {
    id: "GetCurtailmentIndex",
    method: "GET",
    path: "/curtailment-index",
    roles: ["participant", "operator", "anm"],
    entry: "functions/http/handlers/get-curtailment-index.ts",
    grants: { table: "readWrite" },
  },
] as const satisfies readonly Route[];

export type RouteId = (typeof ROUTES)[number]["id"];

/**
 * The REQUEST authorizer: maps the `x-api-key` header to a role and an identity. It reads the
 * hashed key (and a participant's status) from the table, and updates the key's last use at most
 * once a minute (D-197), hence `readUpdate`: it can neither put nor delete an item.
 */
export const AUTHORIZER = {
  id: "Authorize",
  entry: "functions/http/handlers/authorize.ts",
  /** The header the key travels in (api.md, Conventions). */
  header: "x-api-key",
  grants: { table: "readUpdate" },
} as const satisfies { id: string; entry: string; header: string; grants: Grants };

/** True when the route needs a key. */
export function isProtected(route: Route): route is Route & { roles: readonly Role[] } {
  return route.roles !== "none";
}

export function allowsRole(route: Route, role: Role): boolean {
  return route.roles !== "none" && route.roles.includes(role);
}
