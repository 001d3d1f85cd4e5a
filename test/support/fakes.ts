import { type ApiKeyRecord, keyIdOf } from "../../functions/core/access/api-key";
import type { Asset, AssetStatus, EntryClaimRecord } from "../../functions/core/access/asset";
import type { AuditEntry, AuditRecord } from "../../functions/core/access/audit";
import type { Participant, ParticipantStatus } from "../../functions/core/access/participant";
import type { Actor } from "../../functions/core/access/roles";
import type { SchemeSettings } from "../../functions/core/config/market-config";
import { settingsOfVersion } from "../../functions/core/config/scheme-config";
import { CycleSupersededError, DomainError } from "../../functions/core/errors";
import type { PlatformEvent } from "../../functions/core/events/platform-event";
import type { ConstraintMeritOrder } from "../../functions/core/merit-order/reorder";
import type { LookAheadBody } from "../../functions/core/model/look-ahead";
import { type Page, type PageRequest, pageOf } from "../../functions/core/model/paging";
import type {
  ApiKeyStore,
  AssetStore,
  AuditTrail,
  BeginOutcome,
  Clock,
  Credentials,
  Cycle,
  CycleChanges,
  CycleFence,
  CycleStatus,
  CycleStore,
  CycleTransition,
  EntryClaimStore,
  ExecutionStep,
  ExecutionSummary,
  IdempotencyBegin,
  IdempotencyBeginInput,
  IdempotencyRecords,
  IdGenerator,
  IdKind,
  KeyClaim,
  KeyReissue,
  KeyRotation,
  LookAheadClaim,
  MarketStatus,
  MarketStore,
  MeritOrderStore,
  NewAsset,
  NewParticipant,
  NewSchemeVersion,
  OrderEligibility,
  OrderStore,
  OrderWriteRefusal,
  Outbox,
  ParticipantStore,
  PublishedMeritOrder,
  PublishedVersionRef,
  RateLimits,
  Replaced,
  SchemeRecord,
  SchemeStore,
  SchemeVersion,
  SchemeVersionOutcome,
  StatusChange,
  StoredMarket,
  StoredOpportunity,
  StoredOrder,
  StoredTrade,
  TradeStore,
  WorkflowInspector,
  WorkflowStarter,
} from "../../functions/core/ports";
import { type OutboxEvent, outboxEventOf } from "../../functions/core/webhooks/model";

/**
 * In-memory fakes of every port of `functions/core/ports.ts`, for use-case tests that need no
 * DynamoDB Local and no Java. Each keeps the promise its port states — conditional writes refuse
 * as the adapter does, reads return copies — so a use case behaves here as it does on the stack;
 * the adapters themselves are tested against DynamoDB Local and aws-sdk-client-mock.
 */

const copy = <T>(value: T): T => structuredClone(value);

/** A clock the test sets and moves. */
export class FakeClock implements Clock {
  constructor(public now = Date.parse("2027-06-13T09:00:00Z")) {}
  nowMs(): number {
    return this.now;
  }
  set(iso: string): void {
    this.now = Date.parse(iso);
  }
}

/** Ids in sequence, of the shapes the real policy gives (`par-` + 20 hex digits, …). */
export class SequentialIds implements IdGenerator {
  private n = 0;
  newId(kind: IdKind): string {
    this.n += 1;
    const hex = this.n.toString(16).padStart(20, "0");
    const prefix = {
      participant: "par",
      asset: "ast",
      order: "ord",
      audit: "aud",
      token: "tok",
      upload: "mup",
    };
    return `${prefix[kind]}-${hex}`;
  }
}

/** Keys and secrets in sequence; "hashes" that tell whether a secret matches, and nothing more. */
export class FakeCredentials implements Credentials {
  private n = 0;
  newApiKey(): string {
    this.n += 1;
    return `btr_fake-key-${this.n}`;
  }
  hashApiKey(apiKey: string): string {
    return `sha256(${apiKey})`;
  }
  newClaimSecret(): string {
    this.n += 1;
    return `cls_fake-secret-${this.n}`;
  }
  async hashClaimSecret(secret: string): Promise<string> {
    return `scrypt(${secret})`;
  }
  async verifyClaimSecret(secret: string, hash: string): Promise<boolean> {
    return hash === `scrypt(${secret})`;
  }
}

export class InMemoryAudit implements AuditTrail {
  readonly records: AuditRecord[] = [];
  constructor(private readonly ids: IdGenerator) {}

  record(entry: AuditEntry): void {
    this.records.push({ recordId: this.ids.newId("audit"), ...copy(entry) });
  }

  async list(subject: string | undefined, page: PageRequest): Promise<Page<AuditRecord>> {
    const records = this.records.filter((r) => subject === undefined || r.subject === subject);
    return pageOf(records, page, {
      list: "audit",
      scope: subject ?? "",
      keyTypes: ["string", "string"],
      keyOf: (r) => [r.at, r.recordId],
    });
  }
}

export class InMemoryApiKeys implements ApiKeyStore {
  readonly keys = new Map<string, ApiKeyRecord>();
  private readonly bootstrap = new Map<string, string>();

  async findByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const key = this.keys.get(keyHash);
    return key && copy(key);
  }
  async findById(keyId: string): Promise<ApiKeyRecord | undefined> {
    const key = [...this.keys.values()].find((k) => k.keyId === keyId);
    return key && copy(key);
  }
  /** Stores a key (no audit record): what the adapters do inside their transactions. */
  put(record: ApiKeyRecord): void {
    if (this.keys.has(record.keyHash)) throw new Error("the key already exists");
    this.keys.set(record.keyHash, copy(record));
  }
  async issue(record: ApiKeyRecord, audit: AuditEntry): Promise<void> {
    this.put(record);
    this.audit?.record(audit);
  }
  async replaceBootstrapKey(record: ApiKeyRecord): Promise<void> {
    const previous = this.bootstrap.get(record.role);
    if (previous === record.keyHash) return;
    if (previous !== undefined) this.keys.delete(previous);
    this.keys.set(record.keyHash, copy(record));
    this.bootstrap.set(record.role, record.keyHash);
  }
  async list(page: PageRequest): Promise<Page<ApiKeyRecord>> {
    return pageOf([...this.keys.values()].map(copy), page, {
      list: "api-keys",
      scope: "",
      keyTypes: ["string", "string"],
      keyOf: (k) => [k.createdAt, k.keyId],
    });
  }
  async revoke(keyId: string, at: string, actor: Actor): Promise<ApiKeyRecord | undefined> {
    const key = [...this.keys.values()].find((k) => k.keyId === keyId);
    if (key === undefined) return undefined;
    if (key.status === "active") {
      this.revokeHash(key.keyHash, at);
      this.audit?.record({ subject: keyId, action: "api-key.revoked", actor, at });
    }
    return this.findById(keyId);
  }
  revokeHash(keyHash: string, at: string): void {
    const key = this.keys.get(keyHash);
    if (key && key.status === "active")
      this.keys.set(keyHash, { ...key, status: "revoked", revokedAt: at });
  }
  readonly touched: string[] = [];
  async touch(keyHash: string): Promise<void> {
    this.touched.push(keyHash);
  }
  constructor(private readonly audit?: InMemoryAudit) {}
}

/** The race a conditional status change loses: the status read is no longer there. */
function changedMeanwhile(noun: string): DomainError {
  return new DomainError("DECISION_NOT_ALLOWED", `The ${noun} changed meanwhile.`);
}

/** Applies a status change to a record, with its reason, and writes the audit record. */
function applyChange<S extends string, R extends { status: S; statusReason?: string }>(
  record: R & { updatedAt: string },
  subject: string,
  change: StatusChange<S>,
  audit: InMemoryAudit,
): void {
  record.status = change.to;
  record.updatedAt = change.at;
  if (change.reason === undefined) delete record.statusReason;
  else record.statusReason = change.reason;
  const { from, to, action, reason, at, actor } = change;
  audit.record({ subject, action, actor, at, from, to, ...(reason ? { reason } : {}) });
}

export class InMemoryParticipants implements ParticipantStore {
  readonly stored = new Map<
    string,
    {
      participant: Participant;
      claimSecretHash: string;
      claimSecretIssuedAt?: string;
      currentKeyHash?: string;
    }
  >();

  constructor(
    private readonly audit: InMemoryAudit,
    private readonly apiKeys: InMemoryApiKeys,
  ) {}

  async register(input: NewParticipant): Promise<Participant> {
    if (this.stored.has(input.participantId)) throw new Error("the participant already exists");
    const participant: Participant = {
      participantId: input.participantId,
      status: "pending",
      ...copy(input.registration),
      apiKeyIssued: false,
      createdAt: input.at,
      updatedAt: input.at,
    };
    this.stored.set(input.participantId, { participant, claimSecretHash: input.claimSecretHash });
    this.audit.record({
      subject: input.participantId,
      action: "participant.registered",
      actor: input.actor,
      at: input.at,
      to: "pending",
    });
    return copy(participant);
  }
  async get(participantId: string): Promise<Participant | undefined> {
    const stored = this.stored.get(participantId);
    return stored && copy(stored.participant);
  }
  async getMany(participantIds: readonly string[]): Promise<Participant[]> {
    return [...new Set(participantIds)].flatMap((id) => {
      const stored = this.stored.get(id);
      return stored ? [copy(stored.participant)] : [];
    });
  }
  async list(status: ParticipantStatus | undefined, page: PageRequest): Promise<Page<Participant>> {
    const all = [...this.stored.values()]
      .map((s) => copy(s.participant))
      .filter((p) => status === undefined || p.status === status);
    return pageOf(all, page, {
      list: "participants",
      scope: status ?? "",
      keyTypes: ["string", "string"],
      keyOf: (p) => [p.createdAt, p.participantId],
    });
  }
  async claimState(participantId: string) {
    const stored = this.stored.get(participantId);
    return (
      stored && {
        participant: copy(stored.participant),
        claimSecretHash: stored.claimSecretHash,
        claimSecretIssuedAt: stored.claimSecretIssuedAt ?? stored.participant.createdAt,
      }
    );
  }
  /** The decision only: the orders of a cancellation are left to the caller's batches. */
  async changeStatus(
    participantId: string,
    change: StatusChange<ParticipantStatus>,
  ): Promise<{ participant: Participant; cancelled: readonly string[] }> {
    const stored = this.stored.get(participantId);
    if (stored?.participant.status !== change.from) throw changedMeanwhile("participant");
    applyChange(stored.participant, participantId, change, this.audit);
    return { participant: copy(stored.participant), cancelled: [] };
  }
  async claimApiKey(input: KeyClaim): Promise<void> {
    const stored = this.stored.get(input.participantId);
    if (stored?.participant.apiKeyIssued)
      throw new DomainError("ALREADY_CLAIMED", "The API key was already issued.");
    if (stored?.participant.status !== "approved")
      throw new DomainError("NOT_APPROVED", "The participant is not approved.");
    this.apiKeys.put(input.key);
    stored.participant.apiKeyIssued = true;
    stored.participant.updatedAt = input.at;
    stored.currentKeyHash = input.key.keyHash;
    this.audit.record({
      subject: input.participantId,
      action: "participant.api-key-issued",
      actor: input.actor,
      at: input.at,
    });
  }
  async keyState(participantId: string) {
    const stored = this.stored.get(participantId);
    return (
      stored && {
        status: stored.participant.status,
        ...(stored.currentKeyHash === undefined ? {} : { currentKeyHash: stored.currentKeyHash }),
      }
    );
  }
  async rotateApiKey(input: KeyRotation): Promise<void> {
    const stored = this.stored.get(input.participantId);
    const previous = await this.apiKeys.findByHash(input.previousKeyHash);
    if (
      stored?.participant.status !== "approved" ||
      previous?.status !== "active" ||
      previous.principalId !== input.participantId
    )
      throw new DomainError("KEY_NOT_CURRENT", "The key is not current.");
    this.apiKeys.revokeHash(input.previousKeyHash, input.at);
    this.apiKeys.put(input.key);
    stored.currentKeyHash = input.key.keyHash;
    this.audit.record({
      subject: input.participantId,
      action: "participant.api-key-rotated",
      actor: input.actor,
      at: input.at,
    });
  }
  async reissueKey(input: KeyReissue): Promise<Participant | undefined> {
    const stored = this.stored.get(input.participantId);
    if (stored === undefined) return undefined;
    if (stored.participant.status === "rejected")
      throw new DomainError("DECISION_NOT_ALLOWED", "The participant is rejected.");
    const previous = stored.currentKeyHash;
    if (previous !== undefined) this.apiKeys.revokeHash(previous, input.at);
    stored.currentKeyHash = "none";
    stored.claimSecretHash = input.claimSecretHash;
    stored.claimSecretIssuedAt = input.at;
    stored.participant.apiKeyIssued = false;
    stored.participant.updatedAt = input.at;
    this.audit.record({
      subject: input.participantId,
      action: "participant.api-key-reissued",
      actor: input.actor,
      at: input.at,
      from: previous === undefined || previous === "none" ? "no key" : keyIdOf(previous),
      to: "a new claim secret, the key not yet claimed",
    });
    return copy(stored.participant);
  }
}

export class InMemoryEntryClaims implements EntryClaimStore {
  /** `<scheme>|<entry>` → the claim. */
  readonly claims = new Map<string, EntryClaimRecord>();

  async claimsOfScheme(anmSchemeId: string): Promise<EntryClaimRecord[]> {
    return [...this.claims.entries()]
      .filter(([key]) => key.startsWith(`${anmSchemeId}|`))
      .map(([, claim]) => copy(claim));
  }
  async claimOf(anmSchemeId: string, entryId: string): Promise<EntryClaimRecord | undefined> {
    const claim = this.claims.get(`${anmSchemeId}|${entryId}`);
    return claim && copy(claim);
  }
}

export class InMemoryAssets implements AssetStore {
  readonly assets = new Map<string, Asset>();

  constructor(
    private readonly audit: InMemoryAudit,
    private readonly claims: InMemoryEntryClaims,
  ) {}

  async register(input: NewAsset): Promise<Asset> {
    const { registration } = input;
    const taken = registration.molEntryIds.flatMap((entryId, i) =>
      this.claims.claims.has(`${registration.anmSchemeId}|${entryId}`) ? [i] : [],
    );
    if (taken.length > 0)
      throw new DomainError(
        "ENTRY_ALREADY_CLAIMED",
        `MOL entries already claimed in ANM scheme ${registration.anmSchemeId} by another asset.`,
        taken.map((i) => ({
          path: `molEntryIds.${i}`,
          message: "is already claimed by another asset that is not rejected",
        })),
      );
    const asset: Asset = {
      assetId: input.assetId,
      participantId: input.participantId,
      ...copy(registration),
      status: "pending",
      createdAt: input.at,
      updatedAt: input.at,
    };
    this.assets.set(asset.assetId, asset);
    for (const entryId of registration.molEntryIds)
      this.claims.claims.set(`${registration.anmSchemeId}|${entryId}`, {
        entryId,
        assetId: asset.assetId,
      });
    this.audit.record({
      subject: asset.assetId,
      action: "asset.registered",
      actor: input.actor,
      at: input.at,
      to: "pending",
    });
    return copy(asset);
  }
  async get(assetId: string): Promise<Asset | undefined> {
    const asset = this.assets.get(assetId);
    return asset && copy(asset);
  }
  async getMany(assetIds: readonly string[]): Promise<Asset[]> {
    return [...new Set(assetIds)].flatMap((id) => {
      const asset = this.assets.get(id);
      return asset ? [copy(asset)] : [];
    });
  }
  async list(participantId: string | undefined, page: PageRequest): Promise<Page<Asset>> {
    const all = [...this.assets.values()]
      .filter((a) => participantId === undefined || a.participantId === participantId)
      .map(copy);
    return pageOf(all, page, {
      list: "assets",
      scope: participantId ?? "",
      keyTypes: ["string", "string"],
      keyOf: (a) => [a.createdAt, a.assetId],
    });
  }
  /** The decision only: the orders of a cancellation are left to the caller's batches. */
  async changeStatus(
    asset: Asset,
    change: StatusChange<AssetStatus>,
  ): Promise<{ asset: Asset; cancelled: readonly string[] }> {
    const stored = this.assets.get(asset.assetId);
    if (stored?.status !== change.from) throw changedMeanwhile("asset");
    applyChange(stored, asset.assetId, change, this.audit);
    if (change.to === "rejected")
      for (const entryId of stored.molEntryIds) {
        const key = `${stored.anmSchemeId}|${entryId}`;
        if (this.claims.claims.get(key)?.assetId === stored.assetId) this.claims.claims.delete(key);
      }
    return { asset: copy(stored), cancelled: [] };
  }
}

export class InMemoryRateLimits implements RateLimits {
  readonly counts = new Map<string, number>();
  async take(bucket: string, windowStartMs: number, _windowMs: number, limit: number) {
    const key = `${bucket}|${windowStartMs}`;
    const used = this.counts.get(key) ?? 0;
    if (used >= limit) return false;
    this.counts.set(key, used + 1);
    return true;
  }
}

/**
 * Scheme configurations in memory: the stored versions (as the adapter keeps them), and
 * `settings`, which a unit test may set directly to run a scheme under given settings.
 */
export class InMemorySchemes implements SchemeStore {
  readonly settings = new Map<string, SchemeSettings>();
  readonly records = new Map<string, { name: string; versions: SchemeVersion[] }>();
  readonly usedThrough = new Map<string, string>();
  constructor(private readonly audit?: InMemoryAudit) {}

  async settingsFor(
    anmSchemeId: string,
    deliveryDate: string,
  ): Promise<SchemeSettings | undefined> {
    const settings = this.settings.get(anmSchemeId);
    if (settings) return copy(settings);
    const inForce = this.records
      .get(anmSchemeId)
      ?.versions.filter((v) => v.effectiveFrom <= deliveryDate)
      .at(-1);
    return inForce && settingsOfVersion(inForce.version, copy(inForce.config));
  }
  async get(anmSchemeId: string): Promise<SchemeRecord | undefined> {
    const record = this.records.get(anmSchemeId);
    return record && copy({ anmSchemeId, ...record });
  }
  async list(page: PageRequest): Promise<Page<SchemeRecord>> {
    return pageOf(
      [...this.records.entries()].map(([anmSchemeId, r]) => copy({ anmSchemeId, ...r })),
      page,
      { list: "schemes", scope: "", keyTypes: ["string"], keyOf: (s) => [s.anmSchemeId] },
    );
  }
  async putVersion(
    input: NewSchemeVersion,
    expectedLatest: number | undefined,
  ): Promise<SchemeVersionOutcome> {
    const record = this.records.get(input.anmSchemeId);
    if (record?.versions.at(-1)?.version !== expectedLatest) return { outcome: "moved" };
    const used = this.usedThrough.get(input.anmSchemeId);
    if (used !== undefined && used >= input.effectiveFrom)
      return { outcome: "in-use", usedThrough: used };
    const version = (expectedLatest ?? 0) + 1;
    const stored = {
      version,
      effectiveFrom: input.effectiveFrom,
      config: copy(input.config),
      createdAt: input.at,
    };
    this.records.set(input.anmSchemeId, {
      name: input.name,
      versions: [...(record?.versions ?? []), stored],
    });
    this.audit?.record({
      subject: input.anmSchemeId,
      action: version === 1 ? "scheme.registered" : "scheme.version-added",
      actor: input.actor,
      at: input.at,
    });
    return { outcome: "stored", version };
  }
  async markDayInUse(anmSchemeId: string, deliveryDate: string): Promise<void> {
    const used = this.usedThrough.get(anmSchemeId);
    if (used === undefined || used < deliveryDate) this.usedThrough.set(anmSchemeId, deliveryDate);
  }
}

export class InMemoryIdempotency implements IdempotencyRecords {
  readonly records = new Map<
    string,
    { fingerprint: string; token: string; response?: string; lockedUntil: number }
  >();

  async begin(input: IdempotencyBeginInput): Promise<IdempotencyBegin> {
    const held = this.records.get(input.scopeHash);
    if (held === undefined || (held.response === undefined && held.lockedUntil < input.nowMs)) {
      this.records.set(input.scopeHash, {
        fingerprint: input.fingerprint,
        token: input.token,
        lockedUntil: input.nowMs + input.lockMs,
      });
      return { outcome: "started", token: input.token };
    }
    return held.response === undefined
      ? { outcome: "in-progress", fingerprint: held.fingerprint }
      : { outcome: "completed", fingerprint: held.fingerprint, response: held.response };
  }
  async complete(scopeHash: string, token: string, response: string): Promise<void> {
    const held = this.records.get(scopeHash);
    if (held?.token === token) held.response = response;
  }
  async release(scopeHash: string, token: string): Promise<void> {
    const held = this.records.get(scopeHash);
    if (held?.token === token && held.response === undefined) this.records.delete(scopeHash);
  }
}

export class InMemoryCycles implements CycleStore {
  readonly cycles = new Map<string, Cycle>();
  readonly lookAheads = new Map<string, LookAheadBody>();
  readonly claims = new Map<string, { bodyHash: string; cycleId: string }>();
  readonly current = new Map<
    string,
    { cycleId: string; gateClosureMs: number; receivedAtMs?: number }
  >();

  constructor(private readonly audit?: InMemoryAudit) {}

  async claimLookAhead(claim: {
    lookAheadId: string;
    bodyHash: string;
    cycleId: string;
  }): Promise<LookAheadClaim> {
    const held = this.claims.get(claim.lookAheadId);
    if (held) return { created: false, ...held };
    this.claims.set(claim.lookAheadId, { bodyHash: claim.bodyHash, cycleId: claim.cycleId });
    return { created: true };
  }
  async saveLookAhead(cycleId: string, body: LookAheadBody): Promise<void> {
    this.lookAheads.set(cycleId, copy(body));
  }
  async loadLookAhead(cycleId: string): Promise<LookAheadBody | undefined> {
    const body = this.lookAheads.get(cycleId);
    return body && copy(body);
  }
  async beginCycle(
    cycle: Cycle,
    replaced: Replaced | undefined,
    receivedAtMs: number,
    audit: readonly AuditEntry[],
  ): Promise<BeginOutcome> {
    if (this.cycles.has(cycle.cycleId)) return { outcome: "exists" };
    if (cycle.status === "superseded") {
      this.cycles.set(cycle.cycleId, copy(cycle));
      for (const entry of audit) this.audit?.record(entry);
      return { outcome: "begun" };
    }
    const key = `${cycle.anmSchemeId}|${cycle.deliveryDate}`;
    const held = this.current.get(key);
    const pointerOk =
      replaced === undefined
        ? held === undefined || held.cycleId === cycle.cycleId
        : held?.cycleId === replaced.cycleId && held.gateClosureMs > receivedAtMs;
    const old = replaced?.status ? this.cycles.get(replaced.cycleId) : undefined;
    if (!pointerOk || (replaced?.status && old?.status !== replaced.status))
      return { outcome: "moved" };
    this.cycles.set(cycle.cycleId, copy(cycle));
    this.current.set(key, {
      cycleId: cycle.cycleId,
      gateClosureMs: cycle.gateClosureMs,
      receivedAtMs: cycle.createdAtMs,
    });
    if (old) {
      old.status = "superseded";
      old.supersededBy = cycle.cycleId;
    }
    for (const entry of audit) this.audit?.record(entry);
    return { outcome: "begun" };
  }
  async getCycle(cycleId: string): Promise<Cycle | undefined> {
    const cycle = this.cycles.get(cycleId);
    return cycle && copy(cycle);
  }
  async recordAttempt(
    cycleId: string,
    attempt: { attempt: number; executionArn: string },
    previous: number | undefined,
  ): Promise<boolean> {
    const cycle = this.cycles.get(cycleId);
    if (!cycle || (cycle.status !== "running" && cycle.status !== "markets-open")) return false;
    const same = cycle.attempt === attempt.attempt && cycle.executionArn === attempt.executionArn;
    if (cycle.attempt !== previous && !same) return false;
    cycle.attempt = attempt.attempt;
    cycle.executionArn = attempt.executionArn;
    return true;
  }
  /** D-131's fence: the cycle is its day's current one. */
  fenced(fence: CycleFence): void {
    if (this.current.get(`${fence.anmSchemeId}|${fence.deliveryDate}`)?.cycleId !== fence.cycleId)
      throw new CycleSupersededError(fence.cycleId);
  }
  async markStep(fence: CycleFence, step: string, audit: AuditEntry): Promise<void> {
    await this.annotate(fence, { step }, audit);
  }
  async annotate(fence: CycleFence, patch: Partial<Cycle>, audit?: AuditEntry): Promise<void> {
    this.fenced(fence);
    const cycle = this.cycles.get(fence.cycleId);
    if (!cycle) throw new Error(`no cycle ${fence.cycleId}`);
    for (const [name, value] of Object.entries(patch))
      if (value !== undefined && name !== "cycleId")
        (cycle as never as Record<string, unknown>)[name] = copy(value);
    if (audit) this.audit?.record(audit);
  }
  async transition(fence: CycleFence, change: CycleTransition): Promise<boolean> {
    const cycle = this.cycles.get(fence.cycleId);
    this.fenced(fence);
    if (!cycle || !change.from.includes(cycle.status)) return false;
    await this.annotate(fence, { ...change.patch, status: change.to }, change.audit);
    return true;
  }
  async listCycles(
    deliveryDate: string,
    status: CycleStatus | undefined,
    page: PageRequest,
  ): Promise<Page<Cycle>> {
    const cycles = (await this.cyclesOfDay(deliveryDate)).filter(
      (c) => status === undefined || c.status === status,
    );
    return pageOf(cycles, page, {
      list: "cycles",
      scope: `${deliveryDate}|${status ?? ""}`,
      keyTypes: ["number", "string"],
      keyOf: (c) => [c.createdAtMs, c.cycleId],
    });
  }
  async cyclesOfDay(deliveryDate: string): Promise<Cycle[]> {
    return [...this.cycles.values()]
      .filter((c) => c.deliveryDate === deliveryDate)
      .sort((a, b) => a.createdAtMs - b.createdAtMs)
      .map(copy);
  }
  async currentCycle(anmSchemeId: string, deliveryDate: string) {
    const current = this.current.get(`${anmSchemeId}|${deliveryDate}`);
    return current && copy(current);
  }
}

export class InMemoryMarkets implements MarketStore {
  readonly markets = new Map<string, StoredMarket>();
  readonly opportunities = new Map<string, StoredOpportunity>();

  private static key(cycleId: string, marketId: string, side: string, entryId: string) {
    return `${cycleId}|${marketId}|${side}|${entryId}`;
  }

  constructor(private readonly cycles: InMemoryCycles) {}

  async saveBook(
    fence: CycleFence,
    markets: StoredMarket[],
    opportunities: StoredOpportunity[],
  ): Promise<void> {
    const { cycleId } = fence;
    for (const o of opportunities)
      this.opportunities.set(InMemoryMarkets.key(cycleId, o.marketId, o.side, o.entryId), copy(o));
    if (markets.length > 0) this.cycles.fenced(fence);
    for (const m of markets) {
      const held = this.markets.get(m.marketId);
      if (
        !held ||
        (held.cycleId === cycleId && held.status === "pending") ||
        held.cycleCreatedAtMs < m.cycleCreatedAtMs
      )
        this.markets.set(m.marketId, copy(m));
    }
  }
  async listMarketsOfCycle(cycleId: string): Promise<StoredMarket[]> {
    return [...this.markets.values()].filter((m) => m.cycleId === cycleId).map(copy);
  }
  async listOpportunitiesOfCycle(cycleId: string): Promise<StoredOpportunity[]> {
    return [...this.opportunities.values()].filter((o) => o.cycleId === cycleId).map(copy);
  }
  async getMarket(marketId: string): Promise<StoredMarket | undefined> {
    const market = this.markets.get(marketId);
    return market && copy(market);
  }
  async listMarkets(deliveryDate: string, page: PageRequest): Promise<Page<StoredMarket>> {
    return pageOf(
      [...this.markets.values()].filter((m) => m.deliveryDate === deliveryDate).map(copy),
      page,
      {
        list: "markets",
        scope: deliveryDate,
        keyTypes: ["number", "string"],
        keyOf: (m) => [m.windowStartMs, m.marketId],
      },
    );
  }
  async setMarketStatus(
    fence: CycleFence,
    cycleId: string,
    marketIds: string[],
    to: MarketStatus,
    from: MarketStatus[],
  ): Promise<void> {
    if (marketIds.length > 0) this.cycles.fenced(fence);
    for (const id of marketIds) {
      const m = this.markets.get(id);
      if (m && m.cycleId === cycleId && from.includes(m.status)) m.status = to;
    }
  }
  async setMarketResults(
    fence: CycleFence,
    results: { marketId: string; tradeCount: number; tradedKw: number }[],
  ): Promise<void> {
    const { cycleId } = fence;
    if (results.length > 0) this.cycles.fenced(fence);
    for (const { marketId, tradeCount, tradedKw } of results) {
      const m = this.markets.get(marketId);
      if (m && m.cycleId === cycleId && (m.status === "closed" || m.status === "matched")) {
        m.status = "matched";
        m.result = { tradeCount, tradedKw };
      }
    }
  }
  async getOpportunity(cycleId: string, marketId: string, entryId: string, side: string) {
    const o = this.opportunities.get(InMemoryMarkets.key(cycleId, marketId, side, entryId));
    return o && copy(o);
  }
  async listOpportunitiesOfParticipant(
    participantId: string,
    deliveryDate: string,
    page: PageRequest,
  ): Promise<Page<StoredOpportunity>> {
    return pageOf(
      [...this.opportunities.values()]
        .filter((o) => o.participantId === participantId && o.deliveryDate === deliveryDate)
        .map(copy),
      page,
      {
        list: "opportunities",
        scope: `${participantId}|${deliveryDate}`,
        keyTypes: ["string", "string", "string"],
        keyOf: (o) => [o.marketId, o.side, o.entryId],
      },
    );
  }
}

export class InMemoryOrders implements OrderStore {
  readonly orders = new Map<string, StoredOrder>();
  readonly openKw = new Map<string, number>();

  constructor(
    private readonly markets: InMemoryMarkets,
    private readonly cycles: InMemoryCycles,
    private readonly audit?: InMemoryAudit,
    private readonly access?: { claims: InMemoryEntryClaims; participants: InMemoryParticipants },
  ) {}

  private static capacityKey(o: StoredOrder) {
    return `${o.cycleId}|${o.marketId}|${o.side}|${o.entryId}`;
  }
  private marketOpen(o: StoredOrder): boolean {
    const m = this.markets.markets.get(o.marketId);
    return m?.cycleId === o.cycleId && m.status === "open";
  }

  /** D-136: the claim is still the asset's and the participant approved (when given). */
  private eligible(order: StoredOrder, eligibility: OrderEligibility | undefined): boolean {
    if (!this.access || !eligibility) return true;
    const claim = this.access.claims.claims.get(`${eligibility.anmSchemeId}|${order.entryId}`);
    const participant = this.access.participants.stored.get(order.participantId)?.participant;
    return claim?.assetId === eligibility.assetId && participant?.status === "approved";
  }

  async placeOrder(
    order: StoredOrder,
    maxKw: number,
    eligibility: OrderEligibility,
    audit: AuditEntry,
  ): Promise<OrderWriteRefusal | undefined> {
    const held = this.orders.get(order.orderId);
    if (held) {
      if (held.participantId === order.participantId && held.submittedAtMs === order.submittedAtMs)
        return undefined;
      throw new Error(`order id ${order.orderId} is already taken by another order`);
    }
    const current = this.cycles.current.get(
      `${eligibility.anmSchemeId}|${eligibility.deliveryDate}`,
    );
    if (!this.marketOpen(order) || current?.cycleId !== order.cycleId) return "GATE_CLOSED";
    if (!this.eligible(order, eligibility)) return "NOT_ELIGIBLE";
    const key = InMemoryOrders.capacityKey(order);
    const open = this.openKw.get(key) ?? 0;
    if (open + order.quantityKw > maxKw) return "QUANTITY_EXCEEDS_CAPACITY";
    this.openKw.set(key, open + order.quantityKw);
    this.orders.set(order.orderId, copy(order));
    this.audit?.record(audit);
    return undefined;
  }
  async replaceOrder(
    before: StoredOrder,
    after: StoredOrder,
    maxKw: number,
    eligibility: OrderEligibility | undefined,
    scheme: { anmSchemeId: string; deliveryDate: string },
    audit: AuditEntry,
  ): Promise<OrderWriteRefusal | undefined> {
    const held = this.orders.get(before.orderId);
    const current = this.cycles.current.get(`${scheme.anmSchemeId}|${scheme.deliveryDate}`);
    if (!this.marketOpen(after) || current?.cycleId !== after.cycleId) return "GATE_CLOSED";
    if (
      held?.status !== "open" ||
      held.quantityKw !== before.quantityKw ||
      held.updatedAtMs !== before.updatedAtMs
    )
      return "ORDER_NOT_OPEN";
    if (!this.eligible(after, eligibility)) return "NOT_ELIGIBLE";
    const delta =
      (after.status === "open" ? after.quantityKw : 0) -
      (before.status === "open" ? before.quantityKw : 0);
    const key = InMemoryOrders.capacityKey(after);
    const open = this.openKw.get(key) ?? 0;
    if (delta > 0 && open + delta > maxKw) return "QUANTITY_EXCEEDS_CAPACITY";
    this.openKw.set(key, open + delta);
    this.orders.set(after.orderId, copy(after));
    this.audit?.record(audit);
    return undefined;
  }
  async getOrder(orderId: string): Promise<StoredOrder | undefined> {
    const order = this.orders.get(orderId);
    return order && copy(order);
  }
  async getOrders(orderIds: ReadonlyArray<string>): Promise<StoredOrder[]> {
    return orderIds.flatMap((id) => {
      const order = this.orders.get(id);
      return order ? [copy(order)] : [];
    });
  }
  async listOrdersOfParticipant(
    participantId: string,
    marketId: string | undefined,
    page: PageRequest,
  ): Promise<Page<StoredOrder>> {
    return pageOf(
      [...this.orders.values()]
        .filter((o) => o.participantId === participantId && (!marketId || o.marketId === marketId))
        .map(copy),
      page,
      {
        list: "orders",
        scope: marketId ?? "",
        keyTypes: ["string", "string"],
        keyOf: (o) => [o.marketId, o.orderId],
      },
    );
  }
  async openOrdersOfParticipant(participantId: string): Promise<StoredOrder[]> {
    return [...this.orders.values()]
      .filter((o) => o.participantId === participantId && o.status === "open")
      .map(copy);
  }
  async listOrdersOfMarket(
    marketId: string,
    cycleId: string,
    page: PageRequest,
  ): Promise<Page<StoredOrder>> {
    return pageOf(await this.ordersOfMarket(marketId, cycleId), page, {
      list: "market-orders",
      scope: `${marketId}|${cycleId}`,
      keyTypes: ["string"],
      keyOf: (o) => [o.orderId],
    });
  }
  async ordersOfMarket(marketId: string, cycleId: string): Promise<StoredOrder[]> {
    return [...this.orders.values()]
      .filter((o) => o.marketId === marketId && o.cycleId === cycleId)
      .map(copy);
  }
  async cancelOrders(
    orders: readonly StoredOrder[],
    cancelledAtMs: number,
    audit: (order: StoredOrder) => AuditEntry,
  ): Promise<string[]> {
    const cancelled: string[] = [];
    for (const order of [...orders].sort((a, b) => (a.orderId < b.orderId ? -1 : 1))) {
      const held = this.orders.get(order.orderId);
      if (held?.status !== "open" || held.updatedAtMs !== order.updatedAtMs) continue;
      const key = InMemoryOrders.capacityKey(held);
      this.openKw.set(key, (this.openKw.get(key) ?? 0) - held.quantityKw);
      this.orders.set(order.orderId, { ...held, status: "cancelled", updatedAtMs: cancelledAtMs });
      this.audit?.record(audit(order));
      cancelled.push(order.orderId);
    }
    return cancelled;
  }
  async openQuantities(cycleId: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const [key, kw] of this.openKw) {
      const [cycle, market, side, entry] = key.split("|");
      if (cycle === cycleId && kw !== 0) out.set(`${market}|${side}|${entry}`, kw);
    }
    return out;
  }
  async settleOrders(orders: StoredOrder[]): Promise<void> {
    for (const o of orders) this.orders.set(o.orderId, copy(o));
  }
}

export class InMemoryTrades implements TradeStore {
  readonly trades = new Map<string, StoredTrade>();
  async saveTrades(trades: StoredTrade[]): Promise<void> {
    for (const t of trades) this.trades.set(t.tradeId, copy(t));
  }
  async listTradesOfCycle(cycleId: string): Promise<StoredTrade[]> {
    return [...this.trades.values()].filter((t) => t.cycleId === cycleId).map(copy);
  }
  async listTradesOfParticipant(participantId: string, deliveryDate: string) {
    return [...this.trades.values()]
      .filter(
        (t) =>
          t.deliveryDate === deliveryDate &&
          (t.buyParticipantId === participantId || t.sellParticipantId === participantId),
      )
      .map(copy);
  }
}

export class InMemoryMeritOrders implements MeritOrderStore {
  constructor(
    private readonly cycles?: InMemoryCycles,
    private readonly audit?: InMemoryAudit,
  ) {}

  readonly drafts = new Map<string, ConstraintMeritOrder[]>();
  /** `<scheme>|<date>|<constraint>` → versions, oldest first. */
  readonly versions = new Map<string, PublishedMeritOrder[]>();

  async saveDraft(cycleId: string, meritOrders: ConstraintMeritOrder[]): Promise<void> {
    this.drafts.set(cycleId, copy(meritOrders));
  }
  async loadDraft(cycleId: string): Promise<ConstraintMeritOrder[] | undefined> {
    const draft = this.drafts.get(cycleId);
    return draft && copy(draft);
  }
  private publish(mol: Omit<PublishedMeritOrder, "version">): number {
    const key = `${mol.anmSchemeId}|${mol.deliveryDate}|${mol.constraintId}`;
    const versions = this.versions.get(key) ?? [];
    const latest = versions.at(-1);
    if (latest && latest.cycleId === mol.cycleId && latest.fallback === mol.fallback)
      return latest.version;
    const version = (latest?.version ?? 0) + 1;
    versions.push({ ...copy(mol), version });
    this.versions.set(key, versions);
    return version;
  }
  async publishAll(
    fence: CycleFence,
    mols: Omit<PublishedMeritOrder, "version">[],
    audit?: AuditEntry,
  ): Promise<number[]> {
    this.cycles?.fenced(fence);
    const before = [...this.versions.values()].reduce((n, v) => n + v.length, 0);
    const versions = mols.map((mol) => this.publish(mol));
    const after = [...this.versions.values()].reduce((n, v) => n + v.length, 0);
    if (audit && after > before) this.audit?.record(audit);
    return versions;
  }
  async latest(anmSchemeId: string, deliveryDate: string, constraintId: string) {
    const latest = this.versions.get(`${anmSchemeId}|${deliveryDate}|${constraintId}`)?.at(-1);
    return latest && copy(latest);
  }
  async latestAll(anmSchemeId: string, deliveryDate: string, constraintIds: ReadonlyArray<string>) {
    const out: PublishedMeritOrder[] = [];
    for (const c of constraintIds) {
      const latest = await this.latest(anmSchemeId, deliveryDate, c);
      if (latest) out.push(latest);
    }
    return out;
  }
  async version(anmSchemeId: string, deliveryDate: string, constraintId: string, version: number) {
    const found = this.versions
      .get(`${anmSchemeId}|${deliveryDate}|${constraintId}`)
      ?.find((v) => v.version === version);
    return found && copy(found);
  }
}

/** The outbox: events by change, each stored once (by id); gated ones until released. */
export class InMemoryOutbox implements Outbox {
  /** Every event written, by id, with its change and whether it is gated. */
  readonly events = new Map<string, { changeId: string; event: PlatformEvent; gated: boolean }>();
  readonly released = new Set<string>();
  write(changeId: string, events: ReadonlyArray<PlatformEvent>, gated = false): void {
    for (const event of events)
      if (!this.events.has(event.id))
        this.events.set(event.id, { changeId, event: copy(event), gated });
    this.released.add(changeId);
  }
  async append(changeId: string, events: ReadonlyArray<PlatformEvent>): Promise<void> {
    this.write(changeId, events);
  }
  async gatedEvents(changeId: string): Promise<OutboxEvent[]> {
    return [...this.events.values()]
      .filter((e) => e.changeId === changeId && e.gated)
      .map((e) => outboxEventOf(e.event));
  }
  /** Every event written, in the order written. */
  all(): PlatformEvent[] {
    return [...this.events.values()].map((e) => e.event);
  }
}

/**
 * The cycle's changes with their events, applied to the in-memory stores as the adapter applies
 * them (a refused write takes its events with it).
 */
export class InMemoryCycleChanges implements CycleChanges {
  constructor(
    private readonly stores: {
      cycles: InMemoryCycles;
      markets: InMemoryMarkets;
      orders: InMemoryOrders;
      meritOrders: InMemoryMeritOrders;
      outbox: InMemoryOutbox;
      audit?: InMemoryAudit;
    },
  ) {}
  async cancelSuperseded(input: Parameters<CycleChanges["cancelSuperseded"]>[0]): Promise<void> {
    this.stores.cycles.fenced(input.fence);
    const cancelled = new Set<string>();
    for (const o of input.orders) {
      const held = this.stores.orders.orders.get(o.orderId);
      if (held?.status !== "open" || held.cycleId !== input.superseded) continue;
      held.status = "cancelled";
      held.updatedAtMs = input.atMs;
      cancelled.add(o.orderId);
      this.stores.audit?.record(input.auditOf(o));
    }
    this.stores.outbox.write(
      `cycle:${input.cycleId}:supersede`,
      input.events.filter((e) => cancelled.has(String(e.data.orderId))),
    );
    await this.stores.markets.setMarketStatus(
      input.fence,
      input.superseded,
      [...input.marketIds],
      "cancelled",
      ["pending", "open", "closed"],
    );
  }
  async openMarkets(input: Parameters<CycleChanges["openMarkets"]>[0]): Promise<void> {
    this.stores.cycles.fenced(input.fence);
    const opened = new Set<string>();
    for (const id of input.marketIds) {
      const m = this.stores.markets.markets.get(id);
      if (m && m.cycleId === input.cycleId && (m.status === "pending" || m.status === "open")) {
        m.status = "open";
        opened.add(id);
      }
    }
    this.stores.outbox.write(
      `cycle:${input.cycleId}:open-markets`,
      input.events.filter((e) => opened.has(String(e.data.marketId))),
    );
    await this.stores.cycles.transition(input.fence, {
      from: ["running"],
      to: "markets-open",
      audit: input.audit,
    });
  }
  async publish(input: Parameters<CycleChanges["publish"]>[0]): Promise<number[]> {
    const versions = await this.stores.meritOrders.publishAll(input.fence, input.mols, input.audit);
    const refs: PublishedVersionRef[] = [];
    for (const [i, mol] of input.mols.entries()) {
      const version = versions[i]!;
      const previous =
        version > 1
          ? await this.stores.meritOrders.version(
              mol.anmSchemeId,
              mol.deliveryDate,
              mol.constraintId,
              version - 1,
            )
          : undefined;
      refs.push({ constraintId: mol.constraintId, version, ...(previous ? { previous } : {}) });
    }
    this.stores.outbox.write(`cycle:${input.cycleId}:publish`, input.eventsFor(refs));
    if (input.status)
      await this.stores.cycles.transition(input.fence, {
        from: input.status.from,
        to: input.status.to,
        audit: input.status.audit,
      });
    return versions;
  }
}

/** A workflow that records what it was asked: starts by name (idempotent) and stops. */
export class FakeWorkflow implements WorkflowStarter, WorkflowInspector {
  readonly started = new Map<string, unknown>();
  readonly stopped: string[] = [];

  /** Names of executions that exist but have ended (a restore's leftovers). */
  readonly ended = new Set<string>();

  async start(name: string, input: unknown): Promise<string | undefined> {
    if (this.ended.has(name)) return undefined;
    const held = this.started.get(name);
    if (held !== undefined && JSON.stringify(held) !== JSON.stringify(input)) return undefined;
    if (held === undefined) this.started.set(name, copy(input));
    return `arn:aws:states:eu-west-2:000000000000:execution:fake:${name}`;
  }
  async stop(executionArn: string): Promise<void> {
    this.stopped.push(executionArn);
  }
  async describe(executionArn: string): Promise<ExecutionSummary> {
    const name = executionArn.split(":").at(-1)!;
    return {
      executionArn,
      name,
      status: this.stopped.includes(executionArn) ? "ABORTED" : "RUNNING",
      startedAt: "2027-06-13T09:00:00.000Z",
    };
  }
  async history(): Promise<ExecutionStep[]> {
    return [];
  }
  async list(): Promise<ExecutionSummary[]> {
    return Promise.all(
      [...this.started.keys()].map((name) =>
        this.describe(`arn:aws:states:eu-west-2:000000000000:execution:fake:${name}`),
      ),
    );
  }
}

/** Every port, faked and wired together as the composition root wires the adapters. */
export function fakePorts() {
  const ids = new SequentialIds();
  const audit = new InMemoryAudit(ids);
  const apiKeys = new InMemoryApiKeys(audit);
  const claims = new InMemoryEntryClaims();
  const cycles = new InMemoryCycles(audit);
  const markets = new InMemoryMarkets(cycles);
  const participants = new InMemoryParticipants(audit, apiKeys);
  const orders = new InMemoryOrders(markets, cycles, audit, { claims, participants });
  const meritOrders = new InMemoryMeritOrders(cycles, audit);
  const outbox = new InMemoryOutbox();
  return {
    clock: new FakeClock(),
    ids,
    credentials: new FakeCredentials(),
    audit,
    apiKeys,
    participants,
    assets: new InMemoryAssets(audit, claims),
    claims,
    idempotency: new InMemoryIdempotency(),
    rateLimits: new InMemoryRateLimits(),
    limits: { registrationsPerHour: 1_000 },
    schemes: new InMemorySchemes(audit),
    cycles,
    markets,
    orders,
    trades: new InMemoryTrades(),
    meritOrders,
    outbox,
    changes: new InMemoryCycleChanges({ cycles, markets, orders, meritOrders, outbox, audit }),
    workflow: new FakeWorkflow(),
  };
}

export type FakePorts = ReturnType<typeof fakePorts>;
