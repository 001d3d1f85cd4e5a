import { AlertTopic } from "../adapters/alert-topic";
import { ApiKeyRepository } from "../adapters/api-key-repository";
import { AssetRepository } from "../adapters/asset-repository";
import { AuditLog } from "../adapters/audit-log";
import { systemClock } from "../adapters/clock";
import { cryptoCredentials } from "../adapters/credentials";
import { CycleChangeWriter } from "../adapters/cycle-changes";
import { CycleRepository } from "../adapters/cycle-repository";
import { EntryClaims } from "../adapters/entry-claims";
import { IdempotencyStore } from "../adapters/idempotency-store";
import { randomIds } from "../adapters/ids";
import { MarketRepository } from "../adapters/market-repository";
import { MeritOrderRepository } from "../adapters/merit-order-repository";
import { OrderRepository } from "../adapters/order-repository";
import { OutboxRepository } from "../adapters/outbox-repository";
import { ParticipantRepository } from "../adapters/participant-repository";
import {
  ActualsRepository,
  CurtailmentLedgerRepository,
  MeterReadingRepository,
  NominationRepository,
  UploadSessionRepository,
} from "../adapters/post-trade-input-repositories";
import { RateCounters } from "../adapters/rate-counters";
import { SchemeRepository } from "../adapters/scheme-repository";
import { EnvelopeSecretBox, KmsKeyWrapper, LocalFileKeyWrapper } from "../adapters/secret-box";
import { SettlementRepository } from "../adapters/settlement-repository";
import { TopologyChangeRepository } from "../adapters/topology-change-repository";
import { TradeRepository } from "../adapters/trade-repository";
import { S3UploadBucket } from "../adapters/upload-bucket";
import { WebhookDeliveryRepository } from "../adapters/webhook-delivery-repository";
import { WebhookEndpointRepository } from "../adapters/webhook-endpoint-repository";
import { HttpWebhookTransport } from "../adapters/webhook-transport";
import { WorkflowExecutions } from "../adapters/workflow-executions";
import type {
  ActualsStore,
  Alerts,
  ApiKeyStore,
  AssetStore,
  AuditTrail,
  Clock,
  Credentials,
  CurtailmentLedgerStore,
  CycleChanges,
  CycleStore,
  DeliveryStore,
  EntryClaimStore,
  IdempotencyRecords,
  IdGenerator,
  MarketStore,
  MeritOrderStore,
  MeterReadingStore,
  NominationStore,
  OrderStore,
  Outbox,
  ParticipantStore,
  RandomSource,
  RateLimits,
  SchemeStore,
  SecretBox,
  SettlementStore,
  Sleeper,
  TopologyChangeStore,
  TradeStore,
  UploadBucket,
  UploadSessionStore,
  WebhookEndpointStore,
  WebhookSettings,
  WebhookTransport,
  WorkflowInspector,
  WorkflowStarter,
} from "../core/ports";
import { ATTEMPT_TIMEOUT_MS, DEFAULT_RETRY_DELAYS_MS } from "../core/webhooks/model";
import { DAY_AHEAD_CYCLE, SETTLEMENT_RUN } from "../workflow/workflows";
import { dynamoDocumentClient, kmsClient, s3Client, sfnClient, snsClient } from "./clients";
import { env, required, workflowArn } from "./env";

/**
 * Every port of `core/ports.ts` as a function that builds its adapter on first call, once per
 * execution environment, so that a function only needs the environment of what it touches
 * (D-299). Each function's handler is its own composition root: it names the ports it uses,
 *
 * ```ts
 * import * as ports from "../../runtime/ports";
 * const deps = ports.compose({ clock: ports.clock, participants: ports.participants });
 * ```
 *
 * and its bundle holds those adapters only: these are plain function declarations, which the
 * bundler leaves out when no handler names them. Handlers never import an adapter.
 */

/** The clock every use case, handler and middleware reads. Tests set `current` (gate closure). */
export const clockSource: { current: Clock } = { current: systemClock };

/**
 * A composition root over `factories`: an object whose property `k` is `factories[k]()`, read on
 * each access (the factories keep their one instance), so nothing is built before it is used.
 */
export function compose<F extends Record<string, () => unknown>>(
  factories: F,
): { readonly [K in keyof F]: ReturnType<F[K]> } {
  const root = {};
  for (const [name, make] of Object.entries(factories))
    Object.defineProperty(root, name, { get: make, enumerable: true });
  return root as { readonly [K in keyof F]: ReturnType<F[K]> };
}

const built = new Map<string, unknown>();
function once<T>(name: string, make: () => T): T {
  if (!built.has(name)) built.set(name, make());
  return built.get(name) as T;
}
const table = () => ({ client: dynamoDocumentClient(), name: required("TABLE_NAME") });
/** One audit log: the stores write their records through it, the audit route reads it. */
const auditLog = () => once("audit", () => new AuditLog(table().client, table().name, randomIds));
const meritOrderRepository = () =>
  once("meritOrders", () => new MeritOrderRepository(table().client, table().name, auditLog()));

const clockPort: Clock = { nowMs: () => clockSource.current.nowMs() };
export const clock = (): Clock => clockPort;
export const ids = (): IdGenerator => randomIds;
export const credentials = (): Credentials => cryptoCredentials;
const randomPort: RandomSource = { fraction: () => Math.random() };
export const random = (): RandomSource => randomPort;
const sleeperPort: Sleeper = { sleep: (ms) => new Promise((wake) => setTimeout(wake, ms)) };
export const sleeper = (): Sleeper => sleeperPort;

export const audit = (): AuditTrail => auditLog();
export const schemes = (): SchemeStore =>
  once("schemes", () => new SchemeRepository(table().client, table().name, auditLog()));
export const participants = (): ParticipantStore =>
  once("participants", () => new ParticipantRepository(table().client, table().name, auditLog()));
export const assets = (): AssetStore =>
  once("assets", () => new AssetRepository(table().client, table().name, auditLog()));
export const claims = (): EntryClaimStore =>
  once("claims", () => new EntryClaims(table().client, table().name));
export const apiKeys = (): ApiKeyStore =>
  once("apiKeys", () => new ApiKeyRepository(table().client, table().name, auditLog()));
/** Limits an operator sets for the deployment (D-150), read from the environment each time. */
export const limits = (): { readonly registrationsPerHour: number } => ({
  registrationsPerHour: env().REGISTRATIONS_PER_HOUR,
});
export const rateLimits = (): RateLimits =>
  once("rateLimits", () => new RateCounters(table().client, table().name));
export const idempotency = (): IdempotencyRecords =>
  once("idempotency", () => new IdempotencyStore(table().client, table().name));
export const cycles = (): CycleStore =>
  once("cycles", () => new CycleRepository(table().client, table().name, auditLog()));
export const markets = (): MarketStore =>
  once("markets", () => new MarketRepository(table().client, table().name));
export const orders = (): OrderStore =>
  once("orders", () => new OrderRepository(table().client, table().name, auditLog()));
export const trades = (): TradeStore =>
  once("trades", () => new TradeRepository(table().client, table().name));
export const meritOrders = (): MeritOrderStore => meritOrderRepository();
/** Day-of verification (R-VERIFY): the topology changes of each scheme-day. */
export const topologyChanges = (): TopologyChangeStore =>
  once(
    "topologyChanges",
    () =>
      new TopologyChangeRepository(
        table().client,
        table().name,
        auditLog(),
        meritOrderRepository(),
      ),
  );
export const outbox = (): Outbox =>
  once("outbox", () => new OutboxRepository(table().client, table().name));
/** The operator's alarm topic (D-135). */
export const alerts = (): Alerts =>
  once("alerts", () => new AlertTopic(snsClient(), required("TOPIC_ALARMS_ARN")));
export const changes = (): CycleChanges =>
  once(
    "changes",
    () => new CycleChangeWriter(table().client, table().name, meritOrderRepository(), auditLog()),
  );
export const endpoints = (): WebhookEndpointStore =>
  once("endpoints", () => new WebhookEndpointRepository(table().client, table().name, auditLog()));
export const deliveries = (): DeliveryStore =>
  once("deliveries", () => new WebhookDeliveryRepository(table().client, table().name, auditLog()));
/** Data keys wrapped by the KMS key of the grant, or by the local stack's key file. */
export const secrets = (): SecretBox =>
  once("secrets", () => {
    const { LOCAL_KEY_DIR } = env();
    return new EnvelopeSecretBox(
      LOCAL_KEY_DIR
        ? new LocalFileKeyWrapper(`${LOCAL_KEY_DIR}/webhook-secrets.key`)
        : new KmsKeyWrapper(kmsClient(), required("KEY_WEBHOOK_SECRETS_ARN")),
    );
  });
export const transport = (): WebhookTransport =>
  once("transport", () => {
    const servers = env().WEBHOOK_DNS_SERVERS;
    return new HttpWebhookTransport(servers ? { dnsServers: servers.split(",") } : {});
  });
/** R-NOTIFY-6 settings, or what the environment sets instead (tests shorten the delays). */
export const webhookSettings = (): WebhookSettings =>
  once("webhookSettings", () => {
    const e = env();
    return {
      retryDelaysMs: e.WEBHOOK_RETRY_DELAYS_MS
        ? e.WEBHOOK_RETRY_DELAYS_MS.split(",").map(Number)
        : [...DEFAULT_RETRY_DELAYS_MS],
      timeoutMs: e.WEBHOOK_TIMEOUT_MS ?? ATTEMPT_TIMEOUT_MS,
      leaseMs: e.WEBHOOK_LEASE_MS ?? 60_000,
      concurrency: e.WEBHOOK_CONCURRENCY ?? 32,
      perEndpoint: e.WEBHOOK_PER_ENDPOINT ?? 8,
      pollMs: e.WEBHOOK_POLL_MS ?? 1_000,
      urlPolicy: { allowLocalHttp: e.WEBHOOK_ALLOW_LOCAL_HTTP === "true" },
    };
  });
/** The day-ahead cycle's executions (WORKFLOWS row DayAheadCycle). */
export const workflow = (): WorkflowStarter & WorkflowInspector =>
  once("workflow", () => new WorkflowExecutions(sfnClient(), workflowArn(DAY_AHEAD_CYCLE)));
export const actuals = (): ActualsStore =>
  once("actuals", () => new ActualsRepository(table().client, table().name, auditLog()));
export const nominations = (): NominationStore =>
  once("nominations", () => new NominationRepository(table().client, table().name, auditLog()));
export const meters = (): MeterReadingStore =>
  once("meters", () => new MeterReadingRepository(table().client, table().name, auditLog()));
export const uploads = (): UploadSessionStore =>
  once("uploads", () => new UploadSessionRepository(table().client, table().name, auditLog()));
/** The meter upload bucket (grant `bucket: { MeterUploads }`). */
export const bucket = (): UploadBucket =>
  once("bucket", () => new S3UploadBucket(s3Client(), required("BUCKET_METER_UPLOADS_NAME")));
export const ledger = (): CurtailmentLedgerStore =>
  once("ledger", () => new CurtailmentLedgerRepository(table().client, table().name));
export const settlement = (): SettlementStore =>
  once("settlement", () => new SettlementRepository(table().client, table().name, auditLog()));
/** The settlement run's executions (WORKFLOWS row SettlementRun). */
export const settlementWorkflow = (): WorkflowStarter & WorkflowInspector =>
  once(
    "settlementWorkflow",
    () => new WorkflowExecutions(sfnClient(), workflowArn(SETTLEMENT_RUN)),
  );
