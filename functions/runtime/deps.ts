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
import * as ports from "./ports";

export { clockSource } from "./ports";

/**
 * Every port of `core/ports.ts` in one object: the composition root of the local stack, the tests
 * and the bench, which use all of it. A Lambda's handler composes only the ports it uses from
 * `./ports` (D-299), so that its bundle holds those adapters only; this module is in no bundle.
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

export const deps: Deps = ports.compose({
  clock: ports.clock,
  ids: ports.ids,
  credentials: ports.credentials,
  participants: ports.participants,
  assets: ports.assets,
  claims: ports.claims,
  apiKeys: ports.apiKeys,
  audit: ports.audit,
  idempotency: ports.idempotency,
  rateLimits: ports.rateLimits,
  limits: ports.limits,
  schemes: ports.schemes,
  cycles: ports.cycles,
  markets: ports.markets,
  orders: ports.orders,
  trades: ports.trades,
  meritOrders: ports.meritOrders,
  topologyChanges: ports.topologyChanges,
  outbox: ports.outbox,
  changes: ports.changes,
  endpoints: ports.endpoints,
  deliveries: ports.deliveries,
  secrets: ports.secrets,
  transport: ports.transport,
  webhookSettings: ports.webhookSettings,
  random: ports.random,
  sleeper: ports.sleeper,
  workflow: ports.workflow,
  alerts: ports.alerts,
  actuals: ports.actuals,
  nominations: ports.nominations,
  meters: ports.meters,
  uploads: ports.uploads,
  bucket: ports.bucket,
  ledger: ports.ledger,
  settlement: ports.settlement,
  settlementWorkflow: ports.settlementWorkflow,
});

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
