import type { ApiKeyRecord } from "./access/api-key";
import type { Asset, AssetRegistration, AssetStatus, EntryClaimRecord } from "./access/asset";
import type { AuditEntry, AuditRecord } from "./access/audit";
import type { Participant, ParticipantRegistration, ParticipantStatus } from "./access/participant";
import type { Actor } from "./access/roles";
import type { SchemeSettings } from "./config/market-config";
import type { SchemeConfigInput } from "./config/scheme-config";
import type { Trade } from "./matching/match";
import type { ConstraintMeritOrder } from "./merit-order/reorder";
import type { LookAheadBody } from "./model/look-ahead";
import type { Page, PageRequest } from "./model/paging";
import type { Market, Opportunity } from "./opportunities/derive";
import type { Order } from "./orders/order";

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

/** What a new id names; each kind has its prefix (`par-`, `ast-`, `ord-`, `aud-`). */
export type IdKind = "participant" | "asset" | "order" | "audit" | "token";

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

/** A participant's key rotation: the key that asked is replaced by `key` (D-198). */
export interface KeyRotation {
  participantId: string;
  previousKeyHash: string;
  key: ApiKeyRecord;
  at: string;
  actor: Actor;
}

/** The operator's re-issue: a new claim secret; the current key stops (D-198). */
export interface KeyReissue {
  participantId: string;
  claimSecretHash: string;
  at: string;
  actor: Actor;
  reason?: string;
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
  /**
   * What the authorizer checks of a participant key (D-22, D-198): the status and the hash of
   * the participant's current key (undefined for a key claimed before keys were tracked).
   */
  keyState(
    participantId: string,
  ): Promise<{ status: ParticipantStatus; currentKeyHash?: string } | undefined>;
  /**
   * Replaces the participant's current key in one transaction: the new key stored, the previous
   * one revoked (conditional on being active and the participant's), the audit record.
   * 409 `KEY_NOT_CURRENT` when the previous key is not active any more.
   */
  rotateApiKey(input: KeyRotation): Promise<void>;
  /**
   * Gives the participant a new claim secret and no current key (its key stops at once and is
   * marked revoked), so that the secret claims a new key; one transaction with the audit record.
   * 409 `DECISION_NOT_ALLOWED` for a rejected participant; undefined for an unknown one.
   */
  reissueKey(input: KeyReissue): Promise<Participant | undefined>;
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
  /** The key with this id, if one was issued (strongly consistent). */
  findById(keyId: string): Promise<ApiKeyRecord | undefined>;
  /** Stores a new key with its audit record; conditional: never overwrites an existing one. */
  issue(record: ApiKeyRecord, audit: AuditEntry): Promise<void>;
  /**
   * Makes `record` the one bootstrapped key of its role (operator, ANM), deleting the key it
   * replaces in the same transaction. Re-running with the same key changes nothing.
   */
  replaceBootstrapKey(record: ApiKeyRecord): Promise<void>;
  /** Every issued key, oldest first, a page at a time. */
  list(page: PageRequest): Promise<Page<ApiKeyRecord>>;
  /**
   * Revokes the key with its audit record (one transaction); a key already revoked is returned
   * as it is. Undefined when there is no such key.
   */
  revoke(keyId: string, at: string, actor: Actor): Promise<ApiKeyRecord | undefined>;
  /** Records the key's use at `nowMs`, at most once a minute per key; never fails the caller. */
  touch(keyHash: string, nowMs: number): Promise<void>;
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
  /**
   * What the scheme has set for that delivery day (its version in force: the highest version
   * whose `effectiveFrom` is on or before the day, D-190), or undefined. Strongly consistent.
   */
  settingsFor(anmSchemeId: string, deliveryDate: string): Promise<SchemeSettings | undefined>;
}

/** One stored version of a scheme's configuration: immutable once written. */
export interface SchemeVersion {
  readonly version: number;
  readonly effectiveFrom: string;
  /** The configuration as the operator gave it (validated; absent fields take defaults). */
  readonly config: SchemeConfigInput;
  readonly createdAt: string;
}

/** A registered scheme: its name and every version, oldest first. */
export interface SchemeRecord {
  readonly anmSchemeId: string;
  readonly name: string;
  readonly versions: readonly SchemeVersion[];
}

/** A new version to store (`PUT /schemes/{id}`), with who asked and when. */
export interface NewSchemeVersion {
  readonly anmSchemeId: string;
  readonly name: string;
  readonly effectiveFrom: string;
  readonly config: SchemeConfigInput;
  readonly at: string;
  readonly actor: Actor;
}

/** What storing a version found (D-191). */
export type SchemeVersionOutcome =
  | { readonly outcome: "stored"; readonly version: number }
  /** A day on or after `effectiveFrom` already has a look-ahead: nothing was stored. */
  | { readonly outcome: "in-use"; readonly usedThrough: string }
  /** Another version was stored since `expectedLatest` was read: read again. */
  | { readonly outcome: "moved" };

/** The versioned scheme configurations (D-190, D-191) behind {@link SchemeConfigSource}. */
export interface SchemeStore extends SchemeConfigSource {
  get(anmSchemeId: string): Promise<SchemeRecord | undefined>;
  /** Registered schemes by id, a page at a time. */
  list(page: PageRequest): Promise<Page<SchemeRecord>>;
  /**
   * Stores the next version with its audit record, in one transaction conditional on the latest
   * version still being `expectedLatest` (undefined: none) and on no day from `effectiveFrom` on
   * having a look-ahead.
   */
  putVersion(
    input: NewSchemeVersion,
    expectedLatest: number | undefined,
  ): Promise<SchemeVersionOutcome>;
  /**
   * Records that `deliveryDate` has a look-ahead, before the version in force is read for it:
   * from then on no version can be stored with an `effectiveFrom` on or before that day, so the
   * version a cycle records is the one every later read of that day finds (idempotent).
   */
  markDayInUse(anmSchemeId: string, deliveryDate: string): Promise<void>;
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
  /**
   * The scheme configuration version the day runs under (D-190); absent when the scheme has
   * stored none (the defaults).
   */
  schemeVersion?: number;
  /** The cycle's current execution (D-200): its latest attempt. */
  executionArn?: string;
  /** Which attempt `executionArn` is: its execution is named `<cycleId>-<attempt>` (D-200). */
  attempt?: number;
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
