import type { ApiKeyRecord } from "./access/api-key";
import type { Asset, AssetRegistration, AssetStatus, EntryClaimRecord } from "./access/asset";
import type { AuditEntry, AuditRecord } from "./access/audit";
import type { Participant, ParticipantRegistration, ParticipantStatus } from "./access/participant";
import type { Actor } from "./access/roles";
import type { SchemeSettings } from "./config/market-config";
import type { SchemeConfigInput } from "./config/scheme-config";
import type { DayCurtailment } from "./curtailment-index/ledger";
import type { FieldProblem } from "./errors";
import type { EventType, PlatformEvent } from "./events/platform-event";
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
import type {
  AttemptResult,
  DeliveryStatus,
  DeliveryUpdate,
  OutboxEvent,
  UrlPolicy,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookTarget,
} from "./webhooks/model";

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

/**
 * D-136: open orders cancelled with an operator's decision (a rejected asset, a suspended or
 * rejected participant): in the decision's own transaction when they fit in it.
 */
export interface OrderCancellation {
  readonly orders: readonly StoredOrder[];
  readonly atMs: number;
  readonly audit: (order: StoredOrder) => AuditEntry;
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
  /**
   * The participant, its claim-secret hash and when that secret was issued (at registration, or
   * at the operator's last re-issue), for the key claim only.
   */
  claimState(
    participantId: string,
  ): Promise<
    { participant: Participant; claimSecretHash: string; claimSecretIssuedAt: string } | undefined
  >;
  /**
   * Moves the status conditionally on `from`, with its audit record; a concurrent change makes it
   * fail with 409 `DECISION_NOT_ALLOWED` and change nothing. The orders of `cancel` are
   * cancelled in the same transaction when they all fit in it (then listed in `cancelled`);
   * otherwise none is, and the caller cancels them in batches (D-136).
   */
  changeStatus(
    participantId: string,
    change: StatusChange<ParticipantStatus>,
    cancel?: OrderCancellation,
  ): Promise<{ participant: Participant; cancelled: readonly string[] }>;
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
  changeStatus(
    asset: Asset,
    change: StatusChange<AssetStatus>,
    cancel?: OrderCancellation,
  ): Promise<{ asset: Asset; cancelled: readonly string[] }>;
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

/** Fixed-window counters (D-150): how many times a client did something in a window. */
export interface RateLimits {
  /**
   * Counts one more use of `bucket` in the window starting at `windowStartMs`, if fewer than
   * `limit` were counted there; false (nothing counted) once the limit is reached.
   */
  take(bucket: string, windowStartMs: number, windowMs: number, limit: number): Promise<boolean>;
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
  /** The cycle's current execution (D-132): the latest attempt started for it. */
  executionArn?: string;
  /** Which attempt `executionArn` is (1, 2, …): its execution is named `<cycleId>-<attempt>`. */
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
  /** R-VERIFY-8: set when the DNO vetoed the market. */
  vetoed?: boolean;
  vetoedAtMs?: number;
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
  status: "confirmed" | "cancelled" | "vetoed";
  /** Set when a topology change or a veto ended the trade (R-VERIFY-4/5/8): final. */
  cancellation?: StoredCancellation;
}

/** A trade's cancellation as `GET /trades` shows it (R-VERIFY-4, R-VERIFY-8). */
export interface StoredCancellation {
  cancellationReason: "topology-change" | "dno-veto";
  cancelledFromSp: number;
  /** ISO 8601 UTC start of `cancelledFromSp`. */
  cancelledFrom: string;
  validSpCount: number;
  meritOrderVersion: number;
  topologyChangeId?: string;
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
  /** Why this version exists (R-VERIFY-5); absent on the day-ahead's own versions. */
  reason?: "day-ahead" | "fallback" | "topology-change" | "dno-veto";
  /** The version it replaces; absent (null) for a day's first version. */
  supersedesVersion?: number | null;
  topologyChangeId?: string;
  cancelledTradeIds?: string[];
}

/** Outcome of claiming a look-ahead id (R-IN-2). */
export type LookAheadClaim =
  | { created: true }
  | { created: false; bodyHash: string; cycleId: string };

/**
 * D-131: a cycle's writes are fenced on it being its scheme-day's current cycle: a
 * `ConditionCheck` on the scheme-day pointer in the same transaction as the write.
 */
export interface CycleFence {
  readonly cycleId: string;
  readonly anmSchemeId: string;
  readonly deliveryDate: string;
}

/** The fence of a cycle. */
export function fenceOf(
  cycle: Pick<Cycle, "cycleId" | "anmSchemeId" | "deliveryDate">,
): CycleFence {
  return {
    cycleId: cycle.cycleId,
    anmSchemeId: cycle.anmSchemeId,
    deliveryDate: cycle.deliveryDate,
  };
}

/** What a look-ahead's cycle replaces when it becomes current (R-IN-3, D-130). */
export interface Replaced {
  readonly cycleId: string;
  /**
   * The replaced cycle's status as read: the supersession is conditional on it. Undefined when
   * the pointer names a cycle whose item is gone (a restore that lost it): only the pointer moves.
   */
  readonly status: CycleStatus | undefined;
}

/** Outcome of {@link CycleStore.beginCycle}. */
export type BeginOutcome =
  /** The cycle is stored and current; `replaced` was superseded in the same transaction. */
  | { readonly outcome: "begun" }
  /** The cycle already existed (a replay): nothing was written. */
  | { readonly outcome: "exists" }
  /** The pointer or the replaced cycle changed since they were read: read again and retry. */
  | { readonly outcome: "moved" };

/** A cycle status change, conditional on the status read, with its audit record (D-139). */
export interface CycleTransition {
  readonly from: readonly CycleStatus[];
  readonly to: CycleStatus;
  /** Further fields set with the status. */
  readonly patch?: Partial<Cycle>;
  readonly audit: AuditEntry;
}

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
  /**
   * R-IN-3, D-130, in one transaction: stores the new cycle (conditional: absent), points the
   * scheme's day at it (conditional: the pointer still names `replaced`, or is absent when
   * `replaced` is undefined, and the receive time is before its gate closure), marks `replaced`
   * superseded by it (conditional on the status read) and writes the audit records. A cycle
   * given as already `superseded` (a look-ahead older than the day's current one) is stored with
   * its audit records only; the pointer is not touched.
   */
  beginCycle(
    cycle: Cycle,
    replaced: Replaced | undefined,
    receivedAtMs: number,
    audit: readonly AuditEntry[],
  ): Promise<BeginOutcome>;
  getCycle(cycleId: string): Promise<Cycle | undefined>;
  /**
   * D-132: records `attempt` as the cycle's current execution, only while the cycle is running
   * or open and its current attempt is still `previous` (or already this one). False otherwise.
   */
  recordAttempt(
    cycleId: string,
    attempt: { attempt: number; executionArn: string },
    previous: number | undefined,
  ): Promise<boolean>;
  /**
   * Records the step now running with its audit record (from the previous step), fenced
   * (D-131): `CycleSupersededError` when the cycle is not current, and nothing is written.
   */
  markStep(fence: CycleFence, step: string, audit: AuditEntry): Promise<void>;
  /** Sets fields that are no state change (counts, flags), fenced. */
  annotate(fence: CycleFence, patch: Partial<Cycle>): Promise<void>;
  /**
   * Moves the cycle's status with its audit record in one fenced transaction. False when the
   * status is not one of `from` (nothing written); `CycleSupersededError` when not current.
   */
  transition(fence: CycleFence, change: CycleTransition): Promise<boolean>;
  /** A delivery day's cycles (optionally of one status), oldest first, a page at a time. */
  listCycles(
    deliveryDate: string,
    status: CycleStatus | undefined,
    page: PageRequest,
  ): Promise<Page<Cycle>>;
  /** Every cycle of a delivery day, oldest first (all pages). */
  cyclesOfDay(deliveryDate: string): Promise<Cycle[]>;
  /** The current cycle of a scheme's delivery day (`receivedAtMs`: its look-ahead's). */
  currentCycle(
    anmSchemeId: string,
    deliveryDate: string,
  ): Promise<{ cycleId: string; gateClosureMs: number; receivedAtMs?: number } | undefined>;
}

export interface MarketStore {
  /**
   * Writes markets and opportunities of a cycle (idempotent: deterministic keys); the market
   * items are fenced on the cycle (D-131).
   */
  saveBook(
    fence: CycleFence,
    markets: StoredMarket[],
    opportunities: StoredOpportunity[],
  ): Promise<void>;
  listMarketsOfCycle(cycleId: string): Promise<StoredMarket[]>;
  listOpportunitiesOfCycle(cycleId: string): Promise<StoredOpportunity[]>;
  getMarket(marketId: string): Promise<StoredMarket | undefined>;
  /** A delivery day's markets by window start then id, a page at a time (D-140). */
  listMarkets(deliveryDate: string, page: PageRequest): Promise<Page<StoredMarket>>;
  /**
   * Moves markets owned by `cycleId` from one of `from` to `to` (conditional per market), each
   * transaction fenced on `fence` (the cycle doing the change, D-131).
   */
  setMarketStatus(
    fence: CycleFence,
    cycleId: string,
    marketIds: string[],
    to: MarketStatus,
    from: MarketStatus[],
  ): Promise<void>;
  /** Records each market's matching result and moves it to `matched` (conditional, fenced). */
  setMarketResults(
    fence: CycleFence,
    results: { marketId: string; tradeCount: number; tradedKw: number }[],
  ): Promise<void>;
  getOpportunity(
    cycleId: string,
    marketId: string,
    entryId: string,
    side: string,
  ): Promise<StoredOpportunity | undefined>;
  /** A participant's opportunities of a day by market, side and entry, a page at a time. */
  listOpportunitiesOfParticipant(
    participantId: string,
    deliveryDate: string,
    page: PageRequest,
  ): Promise<Page<StoredOpportunity>>;
}

/** Why an order write was refused by its conditions. */
export type OrderWriteRefusal =
  | "GATE_CLOSED"
  | "QUANTITY_EXCEEDS_CAPACITY"
  | "ORDER_NOT_OPEN"
  /** D-136: the entry's asset is no longer qualified, or the participant no longer approved. */
  | "NOT_ELIGIBLE";

/** Who may trade an order's entry, checked in the order's transaction (D-136). */
export interface OrderEligibility {
  readonly anmSchemeId: string;
  readonly deliveryDate: string;
  /** The asset whose claim makes the entry the participant's (R-ELIG-1). */
  readonly assetId: string;
}

export interface OrderStore {
  /**
   * Places an order in one transaction (R-ORDER-2, R-GATE-1, R-IN-3, D-136, D-139): the order
   * (new id), the entry's open quantity raised only while it stays within `maxKw`, checks that
   * the market is open in this cycle, that the cycle is current, that the entry's claim is
   * still the asset's and the asset qualified, that the participant is approved, and the audit
   * record.
   */
  placeOrder(
    order: StoredOrder,
    maxKw: number,
    eligibility: OrderEligibility,
    audit: AuditEntry,
  ): Promise<OrderWriteRefusal | undefined>;
  /**
   * Replaces an open order (amend/withdraw) adjusting the open quantity by the difference, with
   * the same checks as {@link placeOrder} (withdrawals skip the eligibility ones) and its audit
   * record.
   */
  replaceOrder(
    before: StoredOrder,
    after: StoredOrder,
    maxKw: number,
    eligibility: OrderEligibility | undefined,
    scheme: { anmSchemeId: string; deliveryDate: string },
    audit: AuditEntry,
  ): Promise<OrderWriteRefusal | undefined>;
  getOrder(orderId: string): Promise<StoredOrder | undefined>;
  /** The orders with these ids that exist (any order), read in batches. */
  getOrders(orderIds: ReadonlyArray<string>): Promise<StoredOrder[]>;
  /** A participant's orders (of one market, or all) by market then order id, a page at a time. */
  listOrdersOfParticipant(
    participantId: string,
    marketId: string | undefined,
    page: PageRequest,
  ): Promise<Page<StoredOrder>>;
  /** Every order of a participant that is still open (all pages; D-136). */
  openOrdersOfParticipant(participantId: string): Promise<StoredOrder[]>;
  /** The orders of a market in one cycle, a page at a time (operator, D-151). */
  listOrdersOfMarket(
    marketId: string,
    cycleId: string,
    page: PageRequest,
  ): Promise<Page<StoredOrder>>;
  /** Every order of a market in one cycle (all pages). */
  ordersOfMarket(marketId: string, cycleId: string): Promise<StoredOrder[]>;
  /** Open quantity per `marketId|side|entryId` of a cycle, read strongly consistently. */
  openQuantities(cycleId: string): Promise<Map<string, number>>;
  /** Writes final states (matched/unmatched/cancelled) of many orders (idempotent). */
  settleOrders(orders: StoredOrder[]): Promise<void>;
  /**
   * D-136: cancels open orders, each conditional on being as read and lowering its open
   * quantity, with one audit record per order; in transactions of whole orders, in order id
   * order. An order that moved on meanwhile is left as it is. Returns the ids cancelled.
   */
  cancelOrders(
    orders: readonly StoredOrder[],
    cancelledAtMs: number,
    audit: (order: StoredOrder) => AuditEntry,
  ): Promise<string[]>;
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
   * Publishes a new immutable version for each constraint unless this cycle already published
   * that kind (then returns that version); versions are never overwritten. Every version is
   * fenced on the publishing cycle being current (D-131): a superseded cycle publishes nothing.
   */
  publishAll(
    fence: CycleFence,
    mols: Omit<PublishedMeritOrder, "version">[],
    /** Written with the first version this call publishes (none when all were published). */
    audit?: AuditEntry,
  ): Promise<number[]>;
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
  /** One published version (immutable), or undefined when there is no such version. */
  version(
    anmSchemeId: string,
    deliveryDate: string,
    constraintId: string,
    version: number,
  ): Promise<PublishedMeritOrder | undefined>;
}

/** A constraint's version as a publication wrote it, and the version it replaced (if any). */
export interface PublishedVersionRef {
  constraintId: string;
  version: number;
  previous?: PublishedMeritOrder;
}

/**
 * The day-ahead steps' state changes that report events (R-NOTIFY-3): each is one change,
 * written with its events in one transaction, or in batches released when the change is applied
 * (R-VERIFY-6 §19). Idempotent: a re-run writes the same items and completes.
 */
export interface CycleChanges {
  /**
   * R-IN-3: the superseded cycle's open orders become `cancelled` (each with its
   * `order.cancelled` event and audit record; an order no longer open keeps its state and gets
   * neither) and its markets `cancelled`. Fenced on the new cycle (D-131).
   */
  cancelSuperseded(input: {
    fence: CycleFence;
    cycleId: string;
    superseded: string;
    orders: ReadonlyArray<StoredOrder>;
    marketIds: ReadonlyArray<string>;
    events: ReadonlyArray<PlatformEvent>;
    auditOf: (order: StoredOrder) => AuditEntry;
    atMs: number;
  }): Promise<void>;
  /**
   * OpenMarkets: each market open with its `market.opened` events; then the cycle
   * `markets-open` with `audit` (once). Fenced on the cycle (D-131).
   */
  openMarkets(input: {
    fence: CycleFence;
    cycleId: string;
    marketIds: ReadonlyArray<string>;
    events: ReadonlyArray<PlatformEvent>;
    audit: AuditEntry;
  }): Promise<void>;
  /**
   * Publishes a version for each constraint (as {@link MeritOrderStore.publishAll}) with the
   * events `eventsFor` derives from the versions written and `audit` with the first version
   * written, and sets the cycle's status last (with its own audit record). Fenced on the cycle:
   * a superseded cycle publishes nothing ({@link CycleSupersededError}, D-131).
   */
  publish(input: {
    fence: CycleFence;
    cycleId: string;
    mols: Omit<PublishedMeritOrder, "version">[];
    eventsFor: (versions: ReadonlyArray<PublishedVersionRef>) => PlatformEvent[];
    audit: AuditEntry;
    status?: { to: CycleStatus; from: CycleStatus[]; audit: AuditEntry };
  }): Promise<number[]>;
}

// ── Day-of verification (R-VERIFY) ───────────────────────────────────────────────────────────

/** Where a topology change is in its processing (D-261). */
export type TopologyChangeState = "received" | "applied" | "failed";

/** A topology change as held: its body as received, its place in the day's order, its result. */
export interface StoredTopologyChange {
  /** A veto of a market is held among the day's changes, in the same order (D-264). */
  kind?: "veto";
  topologyChangeId: string;
  anmSchemeId: string;
  deliveryDate: string;
  /** The body as received (validated); re-read in core units against the day's look-ahead. */
  body: Record<string, unknown>;
  /** SHA-256 of the canonical body (R-VERIFY-2). */
  bodyHash: string;
  receivedAtMs: number;
  /** Receive order within the scheme-day, from 1 (R-VERIFY-2). */
  sequence: number;
  state: TopologyChangeState;
  /** The answer of `POST /anm/topology-changes` once applied (the route's JSON). */
  result?: Record<string, unknown>;
  /** The last processing failure, while the change is not applied (operator's view, alarmed). */
  failure?: { error: string; atMs: number };
}

/** Everything one applied topology change writes (R-VERIFY-6: one change with its events). */
export interface TopologyChangeWrite {
  /** The current cycle of the scheme-day: every transaction is fenced on it (D-131). */
  fence: CycleFence;
  change: StoredTopologyChange;
  result: Record<string, unknown>;
  /** New immutable versions (R-VERIFY-5), each replacing `supersedesVersion`. */
  versions: (PublishedMeritOrder & { supersedesVersion: number })[];
  cancellations: {
    trade: StoredTrade;
    status: "cancelled" | "vetoed";
    cancellation: StoredCancellation;
  }[];
  events: ReadonlyArray<PlatformEvent>;
  audit: AuditEntry;
  /** A veto marks its market vetoed (`GET /markets/{marketId}`). */
  marketVeto?: { marketId: string; vetoedAtMs: number };
}

/** Topology changes of a scheme-day, in receive order (R-VERIFY-2). */
export interface TopologyChangeStore {
  /**
   * Records a new change with the next sequence of its scheme-day (conditional: a change id is
   * held once), received at `now()` read as it takes the sequence, never before the previous
   * change's receive time (D-261: receive order is both the sequence and the time order).
   * Returns the change held under that id when there is one (a replay or a race).
   */
  receive(
    change: Omit<StoredTopologyChange, "sequence" | "state" | "receivedAtMs">,
    now: () => number,
  ): Promise<{ created: boolean; change: StoredTopologyChange }>;
  get(
    anmSchemeId: string,
    deliveryDate: string,
    topologyChangeId: string,
  ): Promise<StoredTopologyChange | undefined>;
  /** The scheme-day's changes in receive order. */
  ofDay(anmSchemeId: string, deliveryDate: string): Promise<StoredTopologyChange[]>;
  /**
   * Writes the change's versions, cancellations, events and audit record, the change `applied`
   * last (R-VERIFY-6 §19: batches with fixed ids over 100 items). Idempotent: a re-run writes
   * the same items and completes.
   */
  apply(input: TopologyChangeWrite): Promise<void>;
  /** Records a processing failure on a change that is not applied (the last published version stays). */
  markFailed(change: StoredTopologyChange, failure: { error: string; atMs: number }): Promise<void>;
}

// ── Events and webhooks (R-NOTIFY, R-DISPATCH) ───────────────────────────────────────────────

/** What the outbox holds: an event, the release of a change's gated events, a manual retry. */
export type OutboxRecord =
  | { kind: "event"; changeId: string; gated: boolean; event: OutboxEvent }
  | { kind: "release"; changeId: string }
  | { kind: "retry"; deliveryId: string; requestedAtMs: number };

/**
 * The transactional outbox (R-NOTIFY-3). State changes write their events through the stores'
 * own methods, in the same transaction (`functions/adapters/change-writer.ts`); this port writes
 * events that have no other state (`webhook.test`) and reads a released change's events.
 */
export interface Outbox {
  /** Writes the events of a change with nothing else to write (conditional on each id). */
  append(changeId: string, events: ReadonlyArray<PlatformEvent>): Promise<void>;
  /** The gated events of a change (written in batches, released with the change: §19). */
  gatedEvents(changeId: string): Promise<OutboxEvent[]>;
}

/** A secret sealed by the {@link SecretBox} (an opaque envelope). */
export type SealedSecret = Record<string, string>;

/** Webhook secrets (R-NOTIFY-2): made at random, stored sealed (KMS in the cloud), opened to sign. */
export interface SecretBox {
  /** `whsec_` + base64 of 32 random bytes. */
  newSecret(): string;
  /** Encrypts for one endpoint owner (bound to it: it opens for that owner only). */
  seal(secret: string, owner: string): Promise<SealedSecret>;
  open(sealed: SealedSecret, owner: string): Promise<string>;
}

export interface WebhookEndpointStore {
  /** Strongly consistent. */
  get(owner: string): Promise<WebhookEndpoint<SealedSecret> | undefined>;
  /**
   * Writes the endpoint if its stored revision is still `expectedRevision` (undefined: none
   * stored), with its audit record, in one transaction; false when it changed meanwhile.
   */
  put(
    endpoint: WebhookEndpoint<SealedSecret>,
    expectedRevision: number | undefined,
    audit: AuditEntry,
  ): Promise<boolean>;
  /** Deletes it if still at `expectedRevision`, with its audit record; false otherwise. */
  delete(owner: string, expectedRevision: number, audit: AuditEntry): Promise<boolean>;
}

/** A lease on a delivery: one dispatcher attempts it at a time; a crashed one's lease lapses. */
export interface DeliveryLease {
  token: string;
  untilMs: number;
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  type?: EventType;
  fromMs?: number;
  toMs?: number;
}

export interface DeliveryStore {
  /**
   * Creates each delivery unless it exists (conditional), a pending one with `lease` held by the
   * creator for its first attempt; returns the ids this call created.
   */
  createAll(deliveries: ReadonlyArray<WebhookDelivery>, lease: DeliveryLease): Promise<Set<string>>;
  /** Strongly consistent. */
  get(deliveryId: string): Promise<WebhookDelivery | undefined>;
  /** An owner's deliveries, newest first, a page at a time. */
  list(owner: string, filter: DeliveryFilter, page: PageRequest): Promise<Page<WebhookDelivery>>;
  /** Ids of deliveries due at `nowMs` (a scheduled attempt or a manual retry) and not leased. */
  due(nowMs: number, limit: number): Promise<string[]>;
  /** Takes the lease when the delivery is due and not leased; the delivery, or undefined. */
  claim(
    deliveryId: string,
    lease: DeliveryLease,
    nowMs: number,
  ): Promise<WebhookDelivery | undefined>;
  /** Gives a lease back without an attempt (it becomes due for any dispatcher at once). */
  release(deliveryId: string, token: string): Promise<void>;
  /** Records an attempt and the next state while `token` still holds the lease; false if not. */
  complete(claimed: WebhookDelivery, token: string, update: DeliveryUpdate): Promise<boolean>;
  /** Ends a delivery without an attempt (no endpoint any more: undeliverable; endpoint gone: failed), under the lease. */
  settle(deliveryId: string, token: string, status: "failed" | "undeliverable"): Promise<void>;
  /**
   * R-NOTIFY-8: asks for one attempt now (due at once, status unchanged), writing a retry
   * record to the outbox and the audit record in the same transaction.
   */
  requestRetry(delivery: WebhookDelivery, atMs: number, audit: AuditEntry): Promise<void>;
  /** Ends a pending delivery no dispatcher holds (the sweep after a 410); leaves any other as it is. */
  settleIdle(deliveryId: string, status: "failed" | "undeliverable", nowMs: number): Promise<void>;
  /** An owner's pending deliveries (ids), for the sweep after a 410 or a deletion. */
  pendingOf(owner: string): Promise<string[]>;
}

/** Resolves, checks and calls receivers (R-NOTIFY-1, R-NOTIFY-5, R-NOTIFY-6). */
export interface WebhookTransport {
  /**
   * R-NOTIFY-1 at registration: the host must resolve, and only to allowed addresses (a
   * loopback target of the local stack to loopback only). Undefined, or why the URL is refused.
   */
  check(target: WebhookTarget): Promise<string | undefined>;
  /**
   * One attempt: resolves the host again, refuses a disallowed address (`address-not-allowed`,
   * no connection made), connects to the checked address, POSTs the body signed with each
   * secret (Standard Webhooks), no redirects, within `timeoutMs`.
   */
  send(request: {
    target: WebhookTarget;
    eventId: string;
    body: string;
    secrets: ReadonlyArray<string>;
    timeoutMs: number;
  }): Promise<Omit<AttemptResult, "startedAtMs">>;
}

/** Settings of delivery that an operator (or a test) may change; defaults are R-NOTIFY-6's. */
export interface WebhookSettings {
  /** Delays before attempts 2–10. */
  readonly retryDelaysMs: ReadonlyArray<number>;
  readonly timeoutMs: number;
  /** How long a claim holds (longer than an attempt can take). */
  readonly leaseMs: number;
  /** Attempts in flight at once in one dispatcher, and per endpoint. */
  readonly concurrency: number;
  readonly perEndpoint: number;
  /** Pause between looks at the due deliveries when none are due. */
  readonly pollMs: number;
  readonly urlPolicy: UrlPolicy;
}

/** Random fractions in [0, 1) (jitter). */
export interface RandomSource {
  fraction(): number;
}

/** Waiting (the retry dispatcher's pause between looks). */
export interface Sleeper {
  sleep(ms: number): Promise<void>;
}

/** The operator's alert channel (the alarm topic in the cloud, D-135). */
export interface Alerts {
  /** Sends one alert; `subject` is a short line, `message` the details. */
  alert(subject: string, message: Record<string, unknown>): Promise<void>;
}

// ── Workflows ────────────────────────────────────────────────────────────────────────────────

export interface WorkflowStarter {
  /**
   * Starts an execution named `name`; the running execution of that name and input is the same
   * start (Standard workflows' idempotency). Undefined when an execution of that name exists
   * otherwise (ended, or another input): never adopted (D-132).
   */
  start(name: string, input: unknown): Promise<string | undefined>;
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
  /** Undefined when the service has no such execution (D-152). */
  describe(executionArn: string): Promise<ExecutionSummary | undefined>;
  /** The whole history, oldest first; undefined when the service has no such execution. */
  history(executionArn: string): Promise<ExecutionStep[] | undefined>;
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
  /** What processing the uploaded file ended in (D-232), once it has. */
  outcome?: UploadOutcome;
}

/**
 * How a pre-signed upload's file was processed (D-232): accepted (its readings are stored under
 * the upload id; the answer is read back from them), refused with the 4xx a body of its type
 * would have had — the code, the detail and the field paths — or failed: every attempt was
 * spent on a fault of the platform (D-233).
 */
export type UploadOutcome =
  | { status: "accepted"; atMs: number }
  | {
      status: "refused";
      atMs: number;
      code: string;
      detail: string;
      errors: FieldProblem[];
    }
  /**
   * Every delivery of the file's event failed on a fault that is not a refusal (D-233): nothing
   * of the file counts; the participant uploads it again under a new session.
   */
  | {
      status: "failed";
      atMs: number;
      code: "UPLOAD_FAILED";
      detail: string;
      /** How many times processing was attempted, when known. */
      attempts?: number;
    };

export interface UploadSessionStore {
  /** Stores a new session (conditional: ids are never reused) with its audit record. */
  create(session: UploadSession, audit: AuditEntry): Promise<void>;
  get(uploadId: string): Promise<UploadSession | undefined>;
  /**
   * Records the outcome of the session's file with its audit record, conditionally once: when
   * an outcome is already held, nothing is written and the held one is returned.
   */
  recordOutcome(
    uploadId: string,
    outcome: UploadOutcome,
    audit: AuditEntry,
  ): Promise<UploadOutcome>;
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
  /** Whether an object was uploaded under the key (a HEAD request). */
  exists(key: string): Promise<boolean>;
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
