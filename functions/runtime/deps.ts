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
import type { ApiKeyPorts } from "../core/access/api-keys";
import type { AuthenticatePorts } from "../core/access/authenticate";
import type { ClaimApiKeyPorts } from "../core/access/claim-api-key";
import type { DecideAssetPorts } from "../core/access/decide-asset";
import type { DecideParticipantPorts } from "../core/access/decide-participant";
import type { RegisterAssetPorts } from "../core/access/register-asset";
import type { RegisterParticipantPorts } from "../core/access/register-participant";
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
import type { CyclePorts } from "../core/use-cases/cycle-steps";
import type { MarketQueryPorts } from "../core/use-cases/market-queries";
import type { PostTradeWritePorts } from "../core/use-cases/post-trade-inputs";
import type { PostTradeReadPorts } from "../core/use-cases/post-trade-reads";
import type { SchemePorts } from "../core/use-cases/schemes";
import type { SettlementPorts } from "../core/use-cases/settlement";
import type { SubmitLookAheadPorts } from "../core/use-cases/submit-look-ahead";
import type { VerificationPorts } from "../core/use-cases/topology-changes";
import type { TradingPorts } from "../core/use-cases/trading";
import type { DeliveryLogPorts } from "../core/webhooks/deliveries";
import type { DispatchPorts } from "../core/webhooks/dispatch";
import type { EndpointPorts } from "../core/webhooks/endpoints";
import type { InstructionPorts } from "../core/webhooks/instructions";
import { ATTEMPT_TIMEOUT_MS, DEFAULT_RETRY_DELAYS_MS } from "../core/webhooks/model";
import { DAY_AHEAD_CYCLE, SETTLEMENT_RUN } from "../workflow/workflows";
import { dynamoDocumentClient, kmsClient, s3Client, sfnClient, snsClient } from "./clients";
import { env, required, workflowArn } from "./env";

/**
 * The one composition root: every port of `core/ports.ts`, implemented by its adapter and built
 * lazily once per execution environment, so that a function only needs the environment of what
 * it actually touches. Handlers pass `deps` (or a part of it) to the use case they call; they
 * never import an adapter.
 */
export interface Deps {
  /** The wall clock; tests replace it through {@link clockSource}. */
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly credentials: Credentials;
  readonly participants: ParticipantStore;
  readonly assets: AssetStore;
  readonly claims: EntryClaimStore;
  readonly apiKeys: ApiKeyStore;
  readonly audit: AuditTrail;
  readonly idempotency: IdempotencyRecords;
  readonly rateLimits: RateLimits;
  /** Limits an operator sets for the deployment (D-150). */
  readonly limits: { readonly registrationsPerHour: number };
  readonly schemes: SchemeStore;
  readonly cycles: CycleStore;
  readonly markets: MarketStore;
  readonly orders: OrderStore;
  readonly trades: TradeStore;
  readonly meritOrders: MeritOrderStore;
  /** Day-of verification (R-VERIFY): the topology changes of each scheme-day. */
  readonly topologyChanges: TopologyChangeStore;
  readonly outbox: Outbox;
  readonly changes: CycleChanges;
  /** Webhooks (R-NOTIFY): endpoints, deliveries, sealed secrets, the sender and its settings. */
  readonly endpoints: WebhookEndpointStore;
  readonly deliveries: DeliveryStore;
  readonly secrets: SecretBox;
  readonly transport: WebhookTransport;
  readonly webhookSettings: WebhookSettings;
  readonly random: RandomSource;
  readonly sleeper: Sleeper;
  /** The day-ahead cycle's executions (WORKFLOWS row DayAheadCycle). */
  readonly workflow: WorkflowStarter & WorkflowInspector;
  /** The operator's alarm topic (D-135). */
  readonly alerts: Alerts;
  readonly actuals: ActualsStore;
  readonly nominations: NominationStore;
  readonly meters: MeterReadingStore;
  readonly uploads: UploadSessionStore;
  /** The meter upload bucket (grant `bucket: { MeterUploads }`). */
  readonly bucket: UploadBucket;
  readonly ledger: CurtailmentLedgerStore;
  readonly settlement: SettlementStore;
  /** The settlement run's executions (WORKFLOWS row SettlementRun). */
  readonly settlementWorkflow: WorkflowStarter & WorkflowInspector;
}

/** The clock every use case, handler and middleware reads. Tests set `current` (gate closure). */
export const clockSource: { current: Clock } = { current: systemClock };

const built: { -readonly [K in keyof Deps]?: Deps[K] } = {};
const table = () => ({ client: dynamoDocumentClient(), name: required("TABLE_NAME") });
function once<K extends keyof Deps>(name: K, make: () => Deps[K]): Deps[K] {
  built[name] ??= make();
  return built[name]!;
}
/** One audit log: the stores write their records through it, the audit route reads it. */
let auditLogInstance: AuditLog | undefined;
const auditLog = () => {
  auditLogInstance ??= new AuditLog(table().client, table().name, randomIds);
  return auditLogInstance;
};

/** R-NOTIFY-6 settings, or what the environment sets instead (tests shorten the delays). */
function webhookSettings(): WebhookSettings {
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
}

/** Data keys wrapped by the KMS key of the grant, or by the local stack's key file. */
function secretBox(): SecretBox {
  const { LOCAL_KEY_DIR } = env();
  return new EnvelopeSecretBox(
    LOCAL_KEY_DIR
      ? new LocalFileKeyWrapper(`${LOCAL_KEY_DIR}/webhook-secrets.key`)
      : new KmsKeyWrapper(kmsClient(), required("KEY_WEBHOOK_SECRETS_ARN")),
  );
}

export const deps: Deps = {
  clock: { nowMs: () => clockSource.current.nowMs() },
  ids: randomIds,
  credentials: cryptoCredentials,
  random: { fraction: () => Math.random() },
  sleeper: { sleep: (ms) => new Promise((wake) => setTimeout(wake, ms)) },
  get audit() {
    return auditLog();
  },
  get schemes() {
    return once("schemes", () => new SchemeRepository(table().client, table().name, auditLog()));
  },
  get participants() {
    return once(
      "participants",
      () => new ParticipantRepository(table().client, table().name, auditLog()),
    );
  },
  get assets() {
    return once("assets", () => new AssetRepository(table().client, table().name, auditLog()));
  },
  get claims() {
    return once("claims", () => new EntryClaims(table().client, table().name));
  },
  get apiKeys() {
    return once("apiKeys", () => new ApiKeyRepository(table().client, table().name, auditLog()));
  },
  get limits() {
    return { registrationsPerHour: env().REGISTRATIONS_PER_HOUR };
  },
  get rateLimits() {
    return once("rateLimits", () => new RateCounters(table().client, table().name));
  },
  get idempotency() {
    return once("idempotency", () => new IdempotencyStore(table().client, table().name));
  },
  get cycles() {
    return once("cycles", () => new CycleRepository(table().client, table().name, auditLog()));
  },
  get markets() {
    return once("markets", () => new MarketRepository(table().client, table().name));
  },
  get orders() {
    return once("orders", () => new OrderRepository(table().client, table().name, auditLog()));
  },
  get trades() {
    return once("trades", () => new TradeRepository(table().client, table().name));
  },
  get meritOrders() {
    return once(
      "meritOrders",
      () => new MeritOrderRepository(table().client, table().name, auditLog()),
    );
  },
  get topologyChanges() {
    return once(
      "topologyChanges",
      () =>
        new TopologyChangeRepository(
          table().client,
          table().name,
          auditLog(),
          deps.meritOrders as MeritOrderRepository,
        ),
    );
  },
  get outbox() {
    return once("outbox", () => new OutboxRepository(table().client, table().name));
  },
  get alerts() {
    return once("alerts", () => new AlertTopic(snsClient(), required("TOPIC_ALARMS_ARN")));
  },
  get changes() {
    return once(
      "changes",
      () =>
        new CycleChangeWriter(
          table().client,
          table().name,
          deps.meritOrders as MeritOrderRepository,
          auditLog(),
        ),
    );
  },
  get endpoints() {
    return once(
      "endpoints",
      () => new WebhookEndpointRepository(table().client, table().name, auditLog()),
    );
  },
  get deliveries() {
    return once(
      "deliveries",
      () => new WebhookDeliveryRepository(table().client, table().name, auditLog()),
    );
  },
  get secrets() {
    return once("secrets", secretBox);
  },
  get transport() {
    return once("transport", () => {
      const servers = env().WEBHOOK_DNS_SERVERS;
      return new HttpWebhookTransport(servers ? { dnsServers: servers.split(",") } : {});
    });
  },
  get webhookSettings() {
    return once("webhookSettings", webhookSettings);
  },
  get workflow() {
    return once(
      "workflow",
      () => new WorkflowExecutions(sfnClient(), workflowArn(DAY_AHEAD_CYCLE)),
    );
  },
  get actuals() {
    return once("actuals", () => new ActualsRepository(table().client, table().name, auditLog()));
  },
  get nominations() {
    return once(
      "nominations",
      () => new NominationRepository(table().client, table().name, auditLog()),
    );
  },
  get meters() {
    return once(
      "meters",
      () => new MeterReadingRepository(table().client, table().name, auditLog()),
    );
  },
  get uploads() {
    return once(
      "uploads",
      () => new UploadSessionRepository(table().client, table().name, auditLog()),
    );
  },
  get bucket() {
    return once(
      "bucket",
      () => new S3UploadBucket(s3Client(), required("BUCKET_METER_UPLOADS_NAME")),
    );
  },
  get ledger() {
    return once("ledger", () => new CurtailmentLedgerRepository(table().client, table().name));
  },
  get settlement() {
    return once(
      "settlement",
      () => new SettlementRepository(table().client, table().name, auditLog()),
    );
  },
  get settlementWorkflow() {
    return once(
      "settlementWorkflow",
      () => new WorkflowExecutions(sfnClient(), workflowArn(SETTLEMENT_RUN)),
    );
  },
};

/** Every use case's ports are a part of the root: a port missing here fails the typecheck. */
deps satisfies RegisterParticipantPorts &
  DecideParticipantPorts &
  ClaimApiKeyPorts &
  RegisterAssetPorts &
  DecideAssetPorts &
  AuthenticatePorts &
  SubmitLookAheadPorts &
  TradingPorts &
  CyclePorts &
  MarketQueryPorts &
  EndpointPorts &
  DeliveryLogPorts &
  DispatchPorts &
  InstructionPorts &
  SchemePorts &
  ApiKeyPorts &
  VerificationPorts &
  PostTradeWritePorts &
  PostTradeReadPorts &
  SettlementPorts;
