import type { ApiKeyRecord } from "./access/api-key";
import type { Asset, AssetRegistration, AssetStatus, EntryClaimRecord } from "./access/asset";
import type { AuditEntry, AuditRecord } from "./access/audit";
import type { Participant, ParticipantRegistration, ParticipantStatus } from "./access/participant";
import type { Actor } from "./access/roles";
import type { SchemeSettings } from "./config/market-config";
import type { DayCurtailment } from "./curtailment-index/ledger";
import type { PlatformEvent } from "./events/platform-event";
import type { Trade } from "./matching/match";
import type { ConstraintMeritOrder } from "./merit-order/reorder";
import type { LookAheadBody } from "./model/look-ahead";
import type { Page, PageRequest } from "./model/paging";
import type { Market, Opportunity } from "./opportunities/derive";
import type { Order } from "./orders/order";
import type { ActualsRecord } from "./performance/actuals";
import type { MeterDay, MeterUpload } from "./performance/meter-readings";
import type { Nomination } from "./performance/nominations";
import type { SettlementLine } from "./settlement/lines";
import type { SettlementRun, Statement } from "./settlement/settlement-run";

/**
 * Ports: everything the use cases need from the outside world, in one place. Adapters implement
 * them with DynamoDB, Step Functions and node:crypto (functions/adapters); the composition root
 * (functions/runtime/deps.ts) builds them; tests implement them in memory (test/support/fakes).
 * Every write is idempotent or conditional, as each method's comment says.
 */

// ── The machine: time, ids, secrets ──────────────────────────────────────────────────────────

/** The wall clock, read once per request or step (R-GATE-1: "taken once"). */
export interface Clock {
  nowMs(): number;
}

/** What a new id names; each kind has its prefix (`par-`, `ast-`, `ord-`, `aud-`, `mup-`). */
export type IdKind = "participant" | "asset" | "order" | "audit" | "token" | "upload";

/** The one id policy for ids that are not derived from their content (those are core/model/ids). */
export interface IdGenerator {
  newId(kind: IdKind): string;
}

/**
 * API keys and claim secrets (R-AUTH, D-20): made with a cryptographic random source and stored
 * only as hashes (keys SHA-256, secrets scrypt).
 */
export interface Credentials {
  newApiKey(): string;
  /** The stored lookup key of a presented API key. */
  hashApiKey(apiKey: string): string;
  newClaimSecret(): string;
  hashClaimSecret(secret: string): Promise<string>;
  /** True when `secret` is the one `hash` was made from; constant time in the comparison. */
  verifyClaimSecret(secret: string, hash: string): Promise<boolean>;
}

// ── Access control ───────────────────────────────────────────────────────────────────────────

/** A status change with the audit record it writes in the same transaction (D-24). */
export interface StatusChange<S extends string> {
  readonly from: S;
  readonly to: S;
  /** The audit action, `<noun>.<verb>`. */
  readonly action: string;
  readonly reason?: string;
  readonly at: string;
  readonly actor: Actor;
}

/** A participant to store: pending, with its claim secret's hash, and who registered it. */
export interface NewParticipant {
  participantId: string;
  registration: ParticipantRegistration;
  claimSecretHash: string;
  at: string;
  actor: Actor;
}

/** A participant's first API key, stored as its hash with the claim. */
export interface KeyClaim {
  participantId: string;
  key: ApiKeyRecord;
  at: string;
  actor: Actor;
}

export interface ParticipantStore {
  /** Stores a new pending participant and its audit record, in one conditional transaction. */
  register(input: NewParticipant): Promise<Participant>;
  /** Strongly consistent. */
  get(participantId: string): Promise<Participant | undefined>;
  /** The participants with these ids that exist (any order). */
  getMany(participantIds: readonly string[]): Promise<Participant[]>;
  /** By status (or all), oldest registration first. */
  list(status: ParticipantStatus | undefined, page: PageRequest): Promise<Page<Participant>>;
  /** The participant and its claim-secret hash, for the key claim only. */
  claimState(
    participantId: string,
  ): Promise<{ participant: Participant; claimSecretHash: string } | undefined>;
  /**
   * Moves the status conditionally on `from`, with its audit record; a concurrent change makes it
   * fail with 409 `DECISION_NOT_ALLOWED` and change nothing.
   */
  changeStatus(
    participantId: string,
    change: StatusChange<ParticipantStatus>,
  ): Promise<Participant>;
  /**
   * Marks the claim and stores the key's record with its audit record, in one transaction,
   * conditional on the participant being approved and not having claimed yet (409
   * `ALREADY_CLAIMED` / `NOT_APPROVED` otherwise).
   */
  claimApiKey(input: KeyClaim): Promise<void>;
}

/** An asset to store: pending, owned by the participant, claiming its MOL entries. */
export interface NewAsset {
  assetId: string;
  participantId: string;
  registration: AssetRegistration;
  at: string;
  actor: Actor;
}

export interface AssetStore {
  /**
   * Stores a pending asset, claims its MOL entries and writes its audit record in one
   * conditional transaction; an entry held by another asset that is not rejected is 409
   * `ENTRY_ALREADY_CLAIMED` naming each `molEntryIds.<i>`, and nothing is stored (D-19).
   */
  register(input: NewAsset): Promise<Asset>;
  /** Strongly consistent. */
  get(assetId: string): Promise<Asset | undefined>;
  /** The assets with these ids that exist (any order). */
  getMany(assetIds: readonly string[]): Promise<Asset[]>;
  /** One participant's assets, or every asset when `participantId` is undefined; oldest first. */
  list(participantId: string | undefined, page: PageRequest): Promise<Page<Asset>>;
  /** As {@link ParticipantStore.changeStatus}; to `rejected` also releases the asset's claims. */
  changeStatus(asset: Asset, change: StatusChange<AssetStatus>): Promise<Asset>;
}

/** Which asset holds each MOL entry of a scheme (one claim per entry, D-19). */
export interface EntryClaimStore {
  /** Every claim of the scheme, strongly consistent. */
  claimsOfScheme(anmSchemeId: string): Promise<EntryClaimRecord[]>;
  claimOf(anmSchemeId: string, entryId: string): Promise<EntryClaimRecord | undefined>;
}

export interface ApiKeyStore {
  /** The key with this hash, if one was issued. Strongly consistent, so revocation is immediate. */
  findByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
  /** Stores a new key; conditional: never overwrites an existing one. */
  put(record: ApiKeyRecord): Promise<void>;
  /**
   * Makes `record` the one bootstrapped key of its role (operator, ANM), deleting the key it
   * replaces in the same transaction. Re-running with the same key changes nothing.
   */
  replaceBootstrapKey(record: ApiKeyRecord): Promise<void>;
}

/** The append-only audit log (D-24); records are written with the change they describe. */
export interface AuditTrail {
  /** One subject's records, oldest first; or every record when `subject` is undefined. */
  list(subject: string | undefined, page: PageRequest): Promise<Page<AuditRecord>>;
}

/** What a request found when it tried to take an idempotency key. */
export type IdempotencyBegin =
  | { readonly outcome: "started"; readonly token: string }
  | { readonly outcome: "completed"; readonly fingerprint: string; readonly response: string }
  | { readonly outcome: "in-progress"; readonly fingerprint: string };

/** A request taking an idempotency key: who and what it is, its lock token and the times. */
export interface IdempotencyBeginInput {
  /** SHA-256 of (caller, Idempotency-Key). */
  scopeHash: string;
  /** SHA-256 of the request (method, path, canonical body). */
  fingerprint: string;
  token: string;
  nowMs: number;
  lockMs: number;
  ttlSeconds: number;
}

/** Idempotency records behind `Idempotency-Key` (D-21), by conditional writes only. */
export interface IdempotencyRecords {
  /** Takes the key, or reports the completed or running request that holds it. */
  begin(input: IdempotencyBeginInput): Promise<IdempotencyBegin>;
  /** Stores the (encrypted) response, only while this request still holds the key. */
  complete(scopeHash: string, token: string, response: string): Promise<void>;
  /** Lets the key go after a failure, so that the client may retry. */
  release(scopeHash: string, token: string): Promise<void>;
}

// ── Scheme configuration ─────────────────────────────────────────────────────────────────────

export interface SchemeConfigSource {
  /** What the scheme has set for that delivery day (its version in force), or undefined. */
  settingsFor(anmSchemeId: string, deliveryDate: string): Promise<SchemeSettings | undefined>;
}

// ── The day-ahead market ─────────────────────────────────────────────────────────────────────

export type CycleStatus = "running" | "markets-open" | "published" | "failed" | "superseded";

/** A day-ahead cycle: one accepted look-ahead and its workflow execution. */
export interface Cycle {
  cycleId: string;
  lookAheadId: string;
  anmSchemeId: string;
  deliveryDate: string;
  status: CycleStatus;
  gateClosureMs: number;
  /** SHA-256 of the canonical look-ahead body (R-IN-2). */
  bodyHash: string;
  createdAtMs: number;
  executionArn?: string;
  /** The step running now or last (progress, and the failing step for the operator). */
  step?: string;
  failure?: { step: string; error: string; cause: string };
  /** The cycle this one superseded (R-IN-3), if any. */
  supersedes?: string;
  /** R-ALLOC-2 flags for the operator. */
  unresolvable?: { constraintId: string; sp: number; shortfallKw: number }[];
  /** How many markets DeriveOpportunities stored: the later steps check the index shows them all. */
  marketCount?: number;
  /** The cycle that superseded this one. */
  supersededBy?: string;
}

export type MarketStatus = "pending" | "open" | "closed" | "matched" | "cancelled";

/** A market as stored: the derived market plus its life cycle. */
export interface StoredMarket extends Market {
  cycleId: string;
  /** When the owning cycle was created: a newer cycle may take over the market id (R-IN-3). */
  cycleCreatedAtMs: number;
  status: MarketStatus;
  result?: { tradeCount: number; tradedKw: number };
}

export interface StoredOpportunity extends Opportunity {
  cycleId: string;
  deliveryDate: string;
  gateClosureMs: number;
}

export type OrderStatus = "open" | "withdrawn" | "cancelled" | "matched" | "unmatched";

export interface StoredOrder extends Order {
  cycleId: string;
  deliveryDate: string;
  status: OrderStatus;
  /** Kilowatts traded, set at matching. */
  filledKw?: number;
  updatedAtMs: number;
}

export interface StoredTrade extends Trade {
  cycleId: string;
  deliveryDate: string;
  windowStartMs: number;
  windowEndMs: number;
  status: "confirmed";
}

/** A published merit order version of one constraint (R-REORDER-6): immutable. */
export interface PublishedMeritOrder {
  anmSchemeId: string;
  deliveryDate: string;
  constraintId: string;
  version: number;
  cycleId: string;
  /** The MOL version the ANM sent. */
  baseVersion: number | undefined;
  publishedAtMs: number;
  /** True when this is the original MOL published as the fallback of a failed cycle. */
  fallback: boolean;
  segments: ConstraintMeritOrder["segments"];
}

/** Outcome of claiming a look-ahead id (R-IN-2). */
export type LookAheadClaim =
  | { created: true }
  | { created: false; bodyHash: string; cycleId: string };

export interface CycleStore {
  /** Claims `lookAheadId` for this body and cycle; conditional: never overwrites. */
  claimLookAhead(claim: {
    lookAheadId: string;
    bodyHash: string;
    cycleId: string;
    receivedAtMs: number;
  }): Promise<LookAheadClaim>;
  /** Stores the look-ahead body under the cycle (idempotent: same keys, same content). */
  saveLookAhead(cycleId: string, body: LookAheadBody): Promise<void>;
  loadLookAhead(cycleId: string): Promise<LookAheadBody | undefined>;
  /** Creates the cycle if absent (conditional); returns the stored one either way. */
  createCycle(cycle: Cycle): Promise<Cycle>;
  getCycle(cycleId: string): Promise<Cycle | undefined>;
  /** Sets fields; with `ifStatus`, only when the status is one of those (false otherwise). */
  updateCycle(cycleId: string, patch: Partial<Cycle>, ifStatus?: CycleStatus[]): Promise<boolean>;
  listCycles(deliveryDate: string): Promise<Cycle[]>;
  /** The current cycle of a scheme's delivery day. */
  currentCycle(
    anmSchemeId: string,
    deliveryDate: string,
  ): Promise<{ cycleId: string; gateClosureMs: number } | undefined>;
  /**
   * Points the scheme's day at `next` if the current one is still `expected` (undefined: none)
   * and, when there is one, the receive time is before its gate closure (R-IN-3). Conditional.
   */
  switchCurrent(
    anmSchemeId: string,
    deliveryDate: string,
    next: { cycleId: string; gateClosureMs: number },
    expected: string | undefined,
    receivedAtMs: number,
  ): Promise<boolean>;
}

export interface MarketStore {
  /** Writes markets and opportunities of a cycle (idempotent: deterministic keys). */
  saveBook(
    cycleId: string,
    markets: StoredMarket[],
    opportunities: StoredOpportunity[],
  ): Promise<void>;
  listMarketsOfCycle(cycleId: string): Promise<StoredMarket[]>;
  listOpportunitiesOfCycle(cycleId: string): Promise<StoredOpportunity[]>;
  getMarket(marketId: string): Promise<StoredMarket | undefined>;
  listMarkets(deliveryDate: string): Promise<StoredMarket[]>;
  /** Moves the cycle's markets from one of `from` to `to` (conditional per market). */
  setMarketStatus(
    cycleId: string,
    marketIds: string[],
    to: MarketStatus,
    from: MarketStatus[],
  ): Promise<void>;
  /** Records each market's matching result and moves it to `matched` (conditional per market). */
  setMarketResults(
    cycleId: string,
    results: { marketId: string; tradeCount: number; tradedKw: number }[],
  ): Promise<void>;
  getOpportunity(
    cycleId: string,
    marketId: string,
    entryId: string,
    side: string,
  ): Promise<StoredOpportunity | undefined>;
  listOpportunitiesOfParticipant(
    participantId: string,
    deliveryDate: string,
  ): Promise<StoredOpportunity[]>;
}

/** Why an order write was refused by its conditions. */
export type OrderWriteRefusal = "GATE_CLOSED" | "QUANTITY_EXCEEDS_CAPACITY" | "ORDER_NOT_OPEN";

export interface OrderStore {
  /**
   * Places an order in one transaction: the order (new id), the entry's open quantity in the
   * market raised by its quantity only while it stays within `maxKw` (R-ORDER-2), and a check
   * that the market is open in this cycle and the cycle is current (R-GATE-1, R-IN-3).
   */
  placeOrder(
    order: StoredOrder,
    maxKw: number,
    scheme: { anmSchemeId: string; deliveryDate: string },
  ): Promise<OrderWriteRefusal | undefined>;
  /** Replaces an open order (amend/withdraw) adjusting the open quantity by the difference. */
  replaceOrder(
    before: StoredOrder,
    after: StoredOrder,
    maxKw: number,
  ): Promise<OrderWriteRefusal | undefined>;
  getOrder(orderId: string): Promise<StoredOrder | undefined>;
  /** The orders with these ids that exist (any order), read in batches. */
  getOrders(orderIds: ReadonlyArray<string>): Promise<StoredOrder[]>;
  listOrdersOfParticipant(participantId: string, marketId?: string): Promise<StoredOrder[]>;
  listOrdersOfMarket(marketId: string, cycleId: string): Promise<StoredOrder[]>;
  /** Open quantity per `marketId|side|entryId` of a cycle, read strongly consistently. */
  openQuantities(cycleId: string): Promise<Map<string, number>>;
  /** Writes final states (matched/unmatched/cancelled) of many orders (idempotent). */
  settleOrders(orders: StoredOrder[]): Promise<void>;
}

export interface TradeStore {
  /** Writes trades (idempotent: keys derive from trade ids). */
  saveTrades(trades: StoredTrade[]): Promise<void>;
  listTradesOfCycle(cycleId: string): Promise<StoredTrade[]>;
  listTradesOfParticipant(participantId: string, deliveryDate: string): Promise<StoredTrade[]>;
}

export interface MeritOrderStore {
  /** Stores the cycle's re-ordered MOLs before publication (idempotent). */
  saveDraft(cycleId: string, meritOrders: ConstraintMeritOrder[]): Promise<void>;
  loadDraft(cycleId: string): Promise<ConstraintMeritOrder[] | undefined>;
  /**
   * Publishes a new immutable version for a constraint unless this cycle already published one
   * (then returns that version). Conditional: versions are never overwritten.
   */
  publish(mol: Omit<PublishedMeritOrder, "version">): Promise<number>;
  /** `publish` for many constraints at once (same outcome, far fewer requests). */
  publishAll(mols: Omit<PublishedMeritOrder, "version">[]): Promise<number[]>;
  latest(
    anmSchemeId: string,
    deliveryDate: string,
    constraintId: string,
  ): Promise<PublishedMeritOrder | undefined>;
  /** `latest` of several constraints of a day (their pointers read in batches). */
  latestAll(
    anmSchemeId: string,
    deliveryDate: string,
    constraintIds: ReadonlyArray<string>,
  ): Promise<PublishedMeritOrder[]>;
}

/** A message for a participant, kept in the outbox until delivered. */
export interface Notification {
  participantId: string;
  /** Unique per participant: the same notification is stored once. */
  eventId: string;
  event: Record<string, unknown>;
  atMs: number;
}

export interface Outbox {
  /** Idempotent: a notification whose `eventId` the participant already has is not stored again. */
  notifyAll(notifications: Notification[]): Promise<void>;
}

// ── Workflows ────────────────────────────────────────────────────────────────────────────────

export interface WorkflowStarter {
  /** Starts (or finds, when already started with this name) an execution. */
  start(name: string, input: unknown): Promise<string>;
  /** Stops a running execution; one that has already ended is left as it is. */
  stop(executionArn: string, cause: string): Promise<void>;
}

/** One step of an execution's history, as the operator sees it. */
export interface ExecutionStep {
  readonly type: string;
  /** The state's name, for state entered/exited events. */
  readonly state?: string;
  readonly at: string;
  readonly error?: string;
  readonly cause?: string;
}

export interface ExecutionSummary {
  readonly executionArn: string;
  readonly name: string;
  readonly status: string;
  readonly startedAt: string;
  readonly stoppedAt?: string;
  readonly error?: string;
  readonly cause?: string;
}

export interface WorkflowInspector {
  describe(executionArn: string): Promise<ExecutionSummary>;
  /** The whole history, oldest first. */
  history(executionArn: string): Promise<ExecutionStep[]>;
  /** The most recent executions first. */
  list(limit?: number): Promise<ExecutionSummary[]>;
}

// ── After delivery: performance, settlement, the Curtailment Index ──────────────────────────

/** One scheme's delivery day (the unit of post-trade inputs). */
export interface SchemeDay {
  anmSchemeId: string;
  deliveryDate: string;
}

/** What a stored `POST /anm/actuals` answers (R-PERF-1), also on a replay. */
export interface ActualsReceipt {
  actualsId: string;
  deliveryDate: string;
  bodyHash: string;
  receivedAtMs: number;
  constraints: number;
  entries: number;
}

/**
 * R-PERF-1 ANM actuals. Every write here (and of the other input stores) also moves the
 * scheme-day's revision on, in the same transaction, so that what was derived from the day's
 * inputs (the Curtailment Index contribution) is known to be stale.
 */
export interface ActualsStore {
  /** The post first received under this id in the scheme, if any (strongly consistent). */
  receipt(anmSchemeId: string, actualsId: string): Promise<ActualsReceipt | undefined>;
  /**
   * Stores an accepted post with its audit record in one transaction, conditional on its id
   * being new in the scheme; when it is not, stores nothing and returns the receipt held.
   */
  put(
    day: SchemeDay,
    record: ActualsRecord,
    audit: AuditEntry,
  ): Promise<ActualsReceipt | undefined>;
  /** Every post of the day, in receive order. */
  ofDay(day: SchemeDay): Promise<ActualsRecord[]>;
}

/** R-PERF-3 nominations (`PUT /baselines`). */
export interface NominationStore {
  /** Every nomination of the day (all versions), in receive order. */
  ofDay(day: SchemeDay): Promise<Nomination[]>;
  /**
   * Stores version `nomination.version`, conditional on the entry's day holding version − 1
   * (none for version 1), with its audit record; false when another PUT came first.
   */
  put(nomination: Nomination, audit: AuditEntry): Promise<boolean>;
}

/** An accepted meter upload (R-PERF-2) as stored: who sent it and how many readings it held. */
export interface StoredMeterUpload extends MeterUpload {
  /** The participant, or `operator` for a correction. */
  owner: string;
  readingCount: number;
}

/** An upload as its sender reads it back: each day with its readings, without the values. */
export interface MeterUploadRecord {
  uploadId: string;
  owner: string;
  receivedAtMs: number;
  byOperator: boolean;
  readingCount: number;
  days: (Omit<MeterDay, "valuesW"> & { readings: number })[];
}

/** R-PERF-2 meter readings. An upload counts only once its record is stored (written last). */
export interface MeterReadingStore {
  /**
   * Stores an upload: its days (deterministic keys: re-writing the same upload id rewrites the
   * same items), then its record with the audit record; `exists` when the record was already
   * stored (nothing written).
   */
  put(upload: StoredMeterUpload, audit: AuditEntry): Promise<"stored" | "exists">;
  /** The days of uploads that count (stored whole) for a scheme-day, grouped by upload. */
  ofDay(day: SchemeDay): Promise<MeterUpload[]>;
  /** The same for one entry over a range of days (any scheme; for baselines and reads). */
  ofEntry(entryId: string, fromDate: string, toDate: string): Promise<MeterUpload[]>;
  /** An upload's record. */
  get(uploadId: string): Promise<MeterUploadRecord | undefined>;
}

/** A pre-signed upload (`POST /meter-uploads`): where the sender puts a file over 1 MiB. */
export interface UploadSession {
  uploadId: string;
  /** The participant, or `operator`. */
  owner: string;
  contentType: "text/csv" | "application/json";
  contentLength: number;
  createdAtMs: number;
  expiresAtMs: number;
}

export interface UploadSessionStore {
  /** Stores a new session (conditional: ids are never reused) with its audit record. */
  create(session: UploadSession, audit: AuditEntry): Promise<void>;
  get(uploadId: string): Promise<UploadSession | undefined>;
}

/** The bucket uploads land in (S3 in the cloud; the local stack's object route locally). */
export interface UploadBucket {
  /** A URL the sender PUTs the object to, with the headers it must send, valid until `expiresAtMs`. */
  uploadUrl(
    key: string,
    contentType: string,
    contentLength: number,
    expiresInSeconds: number,
  ): Promise<{ url: string; headers: Record<string, string> }>;
  /** The object's bytes as a stream, or undefined when nothing was uploaded under the key. */
  read(
    key: string,
  ): Promise<{ body: AsyncIterable<Uint8Array>; contentLength: number } | undefined>;
}

export type SettlementRunStatus = "running" | "completed" | "failed";

/** A settlement run as stored (R-SETTLE-7). */
export interface StoredSettlementRun {
  settlementRunId: string;
  month: string;
  status: SettlementRunStatus;
  startedAtMs: number;
  /** Set once, by the step that issues the statements (their `issuedAt`). */
  finishedAtMs?: number;
  /** Who asked: the operator, or the schedule. */
  requestedBy: Actor;
  executionArn?: string;
  /** The step running now or last (progress, and the failing step for the operator). */
  step?: string;
  /** The scheme-days the run settles (`<scheme>/<date>`), set by its first step. */
  days?: string[];
  /** The statements it left (completed runs). */
  statements?: SettlementRun["statements"];
  failure?: { step: string; error: string; cause: string };
}

/** A statement version's head: everything but its lines (R-SETTLE-5/7). */
export type StatementHead = Omit<Statement, "lines"> & {
  lineCount: number;
  /** SHA-256 of the lines as R-SETTLE-7 compares them (every column but version, D-71). */
  linesHash: string;
};

/** Settlement runs and statements. A run's statements are visible once the run is completed. */
export interface SettlementStore {
  /**
   * Creates a running run and takes its month's lock, with its audit record, in one
   * transaction; when another run holds the lock, writes nothing and names it.
   */
  begin(run: StoredSettlementRun, audit: AuditEntry): Promise<{ holder?: string }>;
  get(settlementRunId: string): Promise<StoredSettlementRun | undefined>;
  /** The month's runs, oldest first. */
  runsOfMonth(month: string): Promise<StoredSettlementRun[]>;
  /** Sets fields of a run that is still `running` (false otherwise); `finishedAtMs` only once. */
  updateRunning(settlementRunId: string, patch: Partial<StoredSettlementRun>): Promise<boolean>;
  /** A scheme-day's lines, staged under the run (deterministic keys; a re-run rewrites them). */
  putDayLines(
    settlementRunId: string,
    day: string,
    lines: ReadonlyArray<SettlementLine>,
  ): Promise<void>;
  /** Every staged line of the run, with the days that have them. */
  dayLines(settlementRunId: string): Promise<{ days: string[]; lines: SettlementLine[] }>;
  /** The month's statement heads of every run (filter by completed runs to see what is issued). */
  headsOfMonth(month: string): Promise<StatementHead[]>;
  /** Every head of one statement (all versions, every run). */
  headsOf(statementId: string): Promise<StatementHead[]>;
  /** A statement version's lines, as staged by its run. */
  linesOf(
    head: Pick<StatementHead, "statementId" | "version" | "settlementRunId">,
  ): Promise<SettlementLine[]>;
  /**
   * Stages new statement versions under their run: their lines, then each head with its
   * `statement.issued` outbox event and audit record (conditional puts: a re-run writes nothing
   * twice). Invisible until the run completes.
   */
  stage(
    statements: ReadonlyArray<{ statement: Statement; linesHash: string }>,
    events: ReadonlyArray<PlatformEvent>,
    audits: ReadonlyArray<AuditEntry & { recordId: string }>,
  ): Promise<void>;
  /**
   * Ends a running run — `completed`, or `failed` with the failure — and releases its month's lock, with its audit record, in one transaction; false
   * when the run had already ended (nothing written).
   */
  end(
    settlementRunId: string,
    outcome:
      | { status: "completed"; finishedAtMs: number }
      | { status: "failed"; failure: { step: string; error: string; cause: string } },
    audit: AuditEntry & { recordId: string },
  ): Promise<boolean>;
}

/** A scheme-day's Curtailment Index contribution as stored, with the input revision it reflects. */
export interface StoredDayCurtailment {
  rev: number;
  day: DayCurtailment;
}

/** R-CI-3: the ledger's per-day contributions, recomputed when a day's inputs change. */
export interface CurtailmentLedgerStore {
  /** Per scheme-day (`<scheme>/<date>`): its input revision (0 without inputs) and what is stored. */
  days(
    keys: ReadonlyArray<SchemeDay>,
  ): Promise<Map<string, { rev: number; stored?: StoredDayCurtailment }>>;
  /** Stores a contribution unless one from a later revision is held. */
  put(contribution: StoredDayCurtailment): Promise<void>;
}
