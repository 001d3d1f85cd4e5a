import type { Role } from "../core/access/roles";

/**
 * Every DynamoDB key and sort-key prefix the repositories use is built here, so that item shapes,
 * access patterns and the indexes of TABLE_SPEC can be read in one place.
 *
 * | item | pk | sk |
 * |---|---|---|
 * | API key (hashed; gsi1 `APIKEYS` / `<createdAt>#<keyId>`) | `APIKEY#<sha256 hex>` | `APIKEY` |
 * | key id → hash | `APIKEYID#<keyId>` | `APIKEYID` |
 * | bootstrap key pointer | `BOOTSTRAPKEY#<role>` | `BOOTSTRAPKEY` |
 */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

export const keys = {
  /** An API key, looked up by the hash of the presented key. */
  apiKey(keyHash: string): ItemKey {
    return { pk: `APIKEY#${keyHash}`, sk: "APIKEY" };
  },
  /** Which key hash a key id names (revocation by id, D-196). */
  apiKeyId(keyId: string): ItemKey {
    return { pk: `APIKEYID#${keyId}`, sk: "APIKEYID" };
  },
  /** Which hash the operator/ANM key bootstrapped for a role currently has (replaced on rotation). */
  bootstrapKey(role: Role): ItemKey {
    return { pk: `BOOTSTRAPKEY#${role}`, sk: "BOOTSTRAPKEY" };
  },
} as const;

/** A key plus the index attributes an item carries. */
export interface IndexedItemKey extends ItemKey {
  readonly gsi1pk?: string;
  readonly gsi1sk?: string;
  readonly gsi2pk?: string;
  readonly gsi2sk?: string;
}

/**
 * Keys of participants, assets, the audit log and idempotency records.
 *
 * | item | pk | sk | gsi1 (pk / sk) | gsi2 (pk / sk) |
 * |---|---|---|---|---|
 * | participant | `PARTICIPANT#<id>` | `PARTICIPANT` | `PARTICIPANTS#<status>` / `<createdAt>#<id>` | `PARTICIPANTS` / `<createdAt>#<id>` |
 * | asset | `ASSET#<id>` | `ASSET` | `PASSETS#<participantId>` / `<createdAt>#<id>` | `ASSETS` / `<createdAt>#<id>` |
 * | MOL entry claim | `ENTRYCLAIMS#<anmSchemeId>` | `ENTRY#<entryId>` | | |
 * | audit record | `AUDIT#<subject>` | `<at>#<recordId>` | `AUDIT` / `<at>#<recordId>` | |
 * | idempotency record | `IDEMPOTENCY#<sha256(caller, key)>` | `IDEMPOTENCY` | | |
 * | rate counter (D-150) | `RATE#<bucket>#<window start ms>` | `RATE` | | |
 */
export const accessKeys = {
  participant(participantId: string): ItemKey {
    return { pk: `PARTICIPANT#${participantId}`, sk: "PARTICIPANT" };
  },
  /** Key and index attributes of a participant item (gsi1 by status, gsi2 all). */
  participantItem(participantId: string, status: string, createdAt: string): IndexedItemKey {
    const order = `${createdAt}#${participantId}`;
    return {
      ...accessKeys.participant(participantId),
      gsi1pk: accessKeys.participantsByStatus(status),
      gsi1sk: order,
      gsi2pk: accessKeys.allParticipants(),
      gsi2sk: order,
    };
  },
  participantsByStatus: (status: string) => `PARTICIPANTS#${status}`,
  /** The listing attributes of an API key item (gsi1: every key by creation time). */
  apiKeyListing(createdAt: string, keyId: string) {
    return { gsi1pk: accessKeys.allApiKeys(), gsi1sk: `${createdAt}#${keyId}` };
  },
  allApiKeys: () => "APIKEYS",
  allParticipants: () => "PARTICIPANTS",
  asset(assetId: string): ItemKey {
    return { pk: `ASSET#${assetId}`, sk: "ASSET" };
  },
  /** Key and index attributes of an asset item (gsi1 by owner, gsi2 all). */
  assetItem(assetId: string, participantId: string, createdAt: string): IndexedItemKey {
    const order = `${createdAt}#${assetId}`;
    return {
      ...accessKeys.asset(assetId),
      gsi1pk: accessKeys.assetsOfParticipant(participantId),
      gsi1sk: order,
      gsi2pk: accessKeys.allAssets(),
      gsi2sk: order,
    };
  },
  assetsOfParticipant: (participantId: string) => `PASSETS#${participantId}`,
  allAssets: () => "ASSETS",
  /** One item per claimed (ANM scheme, MOL entry): its existence is the uniqueness guarantee. */
  entryClaim(anmSchemeId: string, entryId: string): ItemKey {
    return { pk: accessKeys.entryClaimsOfScheme(anmSchemeId), sk: `ENTRY#${entryId}` };
  },
  entryClaimsOfScheme: (anmSchemeId: string) => `ENTRYCLAIMS#${anmSchemeId}`,
  /** An append-only audit record of a subject (a participant or asset id). */
  auditRecord(subject: string, at: string, recordId: string): IndexedItemKey {
    return {
      pk: accessKeys.auditOfSubject(subject),
      sk: `${at}#${recordId}`,
      gsi1pk: accessKeys.allAudit(),
      gsi1sk: `${at}#${recordId}`,
    };
  },
  auditOfSubject: (subject: string) => `AUDIT#${subject}`,
  allAudit: () => "AUDIT",
  /** A fixed-window counter (D-150): one bucket (e.g. registrations of one address) and window. */
  rateCounter(bucket: string, windowStartMs: number): ItemKey {
    return { pk: `RATE#${bucket}#${windowStartMs}`, sk: "RATE" };
  },
  /** An idempotency record, by a hash of (caller, Idempotency-Key) computed by the caller. */
  idempotency(scopeHash: string): ItemKey {
    return { pk: `IDEMPOTENCY#${scopeHash}`, sk: "IDEMPOTENCY" };
  },
} as const;

/**
 * Keys of the scheme configurations (D-190, D-191).
 *
 * | item | pk | sk | gsi1 (pk / sk) |
 * |---|---|---|---|
 * | scheme head (name, latest version, last day with a look-ahead) | `SCHEME#<id>` | `HEAD` | `SCHEMES` / `<id>` (registered schemes only) |
 * | scheme version | `SCHEME#<id>` | `V#<version>` | |
 */
export const schemeKeys = {
  pk: (anmSchemeId: string) => `SCHEME#${anmSchemeId}`,
  head: (anmSchemeId: string): ItemKey => ({ pk: `SCHEME#${anmSchemeId}`, sk: "HEAD" }),
  version: (anmSchemeId: string, version: number): ItemKey => ({
    pk: `SCHEME#${anmSchemeId}`,
    sk: `V#${String(version).padStart(6, "0")}`,
  }),
  versionPrefix: "V#",
  allSchemes: () => "SCHEMES",
} as const;

/** Zero-padded sort-key number, so that string order is numeric order. */
const pad = (n: number, width = 6) => String(n).padStart(width, "0");

/**
 * Keys of the day-ahead market.
 *
 * | item | pk | sk | gsi1 (pk / sk) | gsi2 (pk / sk) |
 * |---|---|---|---|---|
 * | look-ahead claim (R-IN-2) | `LOOKAHEAD#<scheme>#<id>` | `LOOKAHEAD` | | |
 * | scheme-day pointer (R-IN-3) | `SCHEMEDAY#<scheme>#<date>` | `CURRENT` | | |
 * | cycle | `CYCLE#<cycleId>` | `CYCLE` | `CYCLES#<date>` / `<createdAt>#<cycleId>` | |
 * | look-ahead parts | `CYCLE#<cycleId>` | `LA#H`, `LA#C#<n>`, `LA#M#<mol>#<chunk>` | | |
 * | opportunity | `CYCLE#<cycleId>` | `OPP#<market>#<side>#<entry>` | `POPP#<participant>#<date>` / `<market>#<side>#<entry>` | |
 * | open quantity (R-ORDER-2) | `CYCLE#<cycleId>` | `CAP#<market>#<side>#<entry>` | | |
 * | trade | `CYCLE#<cycleId>` | `TRD#<market>#<seq>` | `PTRD#<buyer>#<date>` / `<tradeId>` | `PTRD#<seller>#<date>` / `<tradeId>` |
 * | draft MOL segment page | `CYCLE#<cycleId>` | `RMOL#<constraint>#<seg>#<page>` | | |
 * | draft complete marker | `CYCLE#<cycleId>` | `RMOL#` | | |
 * | market | `MARKET#<marketId>` | `MARKET` | `MARKETS#<date>` / `<windowStart>#<marketId>` | `CYCLEMKT#<cycleId>` / `<marketId>` |
 * | order | `ORDER#<orderId>` | `ORDER` | `MKTORD#<market>#<cycleId>` / `<orderId>` | `PORD#<participant>` / `<market>#<orderId>` |
 * | published MOL | `MOL#<scheme>#<date>#<constraint>` | `LATEST`, `V#<ver>`, `V#<ver>#S#<seg>#<page>` | | |
 */
/** Sort-key prefixes of the items in a cycle's partition, for `begins_with` queries. */
export const CYCLE_PARTS = {
  lookAhead: "LA#",
  lookAheadHead: "LA#H",
  lookAheadConstraint: "LA#C#",
  lookAheadMol: "LA#M#",
  opportunity: "OPP#",
  openQuantity: "CAP#",
  trade: "TRD#",
  draft: "RMOL#",
} as const;

export const marketKeys = {
  lookAheadClaim: (scopedId: string): ItemKey => ({ pk: `LOOKAHEAD#${scopedId}`, sk: "LOOKAHEAD" }),
  schemeDay: (scheme: string, date: string): ItemKey => ({
    pk: `SCHEMEDAY#${scheme}#${date}`,
    sk: "CURRENT",
  }),
  cyclePk: (cycleId: string) => `CYCLE#${cycleId}`,
  cycle: (cycleId: string): ItemKey => ({ pk: `CYCLE#${cycleId}`, sk: "CYCLE" }),
  cyclesByDate: (date: string) => `CYCLES#${date}`,
  lookAheadHead: (cycleId: string): ItemKey => ({
    pk: `CYCLE#${cycleId}`,
    sk: CYCLE_PARTS.lookAheadHead,
  }),
  lookAheadConstraint: (cycleId: string, n: number): ItemKey => ({
    pk: `CYCLE#${cycleId}`,
    sk: `${CYCLE_PARTS.lookAheadConstraint}${pad(n)}`,
  }),
  lookAheadMolChunk: (cycleId: string, mol: number, chunk: number): ItemKey => ({
    pk: `CYCLE#${cycleId}`,
    sk: `${CYCLE_PARTS.lookAheadMol}${pad(mol)}#${pad(chunk)}`,
  }),
  opportunity: (cycleId: string, marketId: string, side: string, entryId: string): ItemKey => ({
    pk: `CYCLE#${cycleId}`,
    sk: `${CYCLE_PARTS.opportunity}${marketId}#${side}#${entryId}`,
  }),
  participantOpportunities: (participantId: string, date: string) =>
    `POPP#${participantId}#${date}`,
  openQuantity: (cycleId: string, marketId: string, side: string, entryId: string): ItemKey => ({
    pk: `CYCLE#${cycleId}`,
    sk: `${CYCLE_PARTS.openQuantity}${marketId}#${side}#${entryId}`,
  }),
  trade: (cycleId: string, marketId: string, sequence: number): ItemKey => ({
    pk: `CYCLE#${cycleId}`,
    sk: `${CYCLE_PARTS.trade}${marketId}#${pad(sequence)}`,
  }),
  participantTrades: (participantId: string, date: string) => `PTRD#${participantId}#${date}`,
  draftSegmentPage: (
    cycleId: string,
    constraintId: string,
    segment: number,
    page: number,
  ): ItemKey => ({
    pk: `CYCLE#${cycleId}`,
    sk: `${CYCLE_PARTS.draft}${constraintId}#${pad(segment, 4)}#${pad(page, 4)}`,
  }),
  /** Written after a draft's pages: the draft is complete and lists its constraints (D-39). */
  draftMarker: (cycleId: string): ItemKey => ({ pk: `CYCLE#${cycleId}`, sk: CYCLE_PARTS.draft }),
  market: (marketId: string): ItemKey => ({ pk: `MARKET#${marketId}`, sk: "MARKET" }),
  marketsByDate: (date: string) => `MARKETS#${date}`,
  marketsOfCycle: (cycleId: string) => `CYCLEMKT#${cycleId}`,
  order: (orderId: string): ItemKey => ({ pk: `ORDER#${orderId}`, sk: "ORDER" }),
  ordersOfMarket: (marketId: string, cycleId: string) => `MKTORD#${marketId}#${cycleId}`,
  ordersOfParticipant: (participantId: string) => `PORD#${participantId}`,
  meritOrderPk: (scheme: string, date: string, constraintId: string) =>
    `MOL#${scheme}#${date}#${constraintId}`,
  /** The pointer to a constraint's latest published version. */
  meritOrderLatest: (pk: string): ItemKey => ({ pk, sk: "LATEST" }),
  meritOrderVersion: (version: number) => `V#${pad(version)}`,
  /** A page of a version's segments, under the run (cycle and kind) that wrote it. */
  meritOrderSegmentPage: (version: number, run: string, segment: number, page: number) =>
    `V#${pad(version)}#R#${run}#S#${pad(segment, 4)}#${pad(page, 4)}`,
} as const;

/**
 * Keys of the outbox and of webhooks (R-NOTIFY). Every outbox item's `pk` starts with
 * `OUTBOX#`: the dispatcher's stream filter (CONSUMERS) passes exactly their INSERTs.
 *
 * | item | pk | sk | gsi1 (pk / sk) | gsi2 (pk / sk) |
 * |---|---|---|---|---|
 * | outbox event | `OUTBOX#<changeId>` | `EVT#<eventId>` | | |
 * | a change's release (its events deliverable) | `OUTBOX#<changeId>` | `RELEASE` | | |
 * | manual retry request | `OUTBOX#RETRY#<deliveryId>` | `<requestedAt>` | | |
 * | endpoint | `WHEP#<owner>` | `ENDPOINT` | | |
 * | delivery | `WHDLV#<deliveryId>` | `DELIVERY` | `WHDLVS#<owner>` / `<createdAt>#<deliveryId>` | `WHDUE#<shard>` / `<dueAt>#<deliveryId>` (while due) |
 */
export const OUTBOX_PREFIX = "OUTBOX#";

export const outboxKeys = {
  event: (changeId: string, eventId: string): ItemKey => ({
    pk: `${OUTBOX_PREFIX}${changeId}`,
    sk: `EVT#${eventId}`,
  }),
  changePk: (changeId: string) => `${OUTBOX_PREFIX}${changeId}`,
  eventPrefix: "EVT#",
  release: (changeId: string): ItemKey => ({ pk: `${OUTBOX_PREFIX}${changeId}`, sk: "RELEASE" }),
  retry: (deliveryId: string, requestedAt: string): ItemKey => ({
    pk: `${OUTBOX_PREFIX}RETRY#${deliveryId}`,
    sk: requestedAt,
  }),
} as const;

/**
 * Keys of the inputs after delivery, settlement and the Curtailment Index.
 *
 * | item | pk | sk | gsi1 (pk / sk) |
 * |---|---|---|---|
 * | scheme-day state (input revision) | `PTDAY#<scheme>#<date>` | `STATE` | |
 * | its Curtailment Index contribution | `PTDAY#<scheme>#<date>` | `CI` | |
 * | actuals id claim (R-PERF-1) | `ACTUALSID#<scheme>#<actualsId>` | `ACTUALSID` | |
 * | actuals post part | `ACTUALS#<scheme>#<date>` | `<receivedAt>#<actualsId>#<part>` | |
 * | nomination version | `NOM#<scheme>#<date>` | `<entryId>#V#<version>` | |
 * | nomination pointer | `NOM#<scheme>#<date>` | `<entryId>#CURRENT` | |
 * | meter day of an upload | `MREAD#<scheme>#<date>` | `<entryId>#<direction>#<uploadId>` | `MENTRY#<entryId>` / `<date>#<scheme>#<direction>#<uploadId>` |
 * | meter upload record | `MUPLOAD#<uploadId>` | `MUPLOAD` | |
 * | its pages of days | `MUPLOAD#<uploadId>` | `P#<page>` | |
 * | pre-signed upload session | `UPLOADSESSION#<uploadId>` | `SESSION` | |
 * | settlement run | `SRUN#<runId>` | `RUN` | |
 * | the run in its month (status) | `SMONTH#<month>` | `RUN#<startedAt>#<runId>` | |
 * | a day's staged lines | `SRUN#<runId>` | `L#<scheme>/<date>#<page>` | |
 * | the day's lines marker | `SRUN#<runId>` | `D#<scheme>/<date>` | |
 * | month lock (one run at a time) | `SMONTH#<month>` | `LOCK` | |
 * | statement version head | `STMTS#<month>` | `<participantId>#<version>#<runId>` | `STMT#<statementId>` / `<version>#<runId>` |
 * | its lines | `STMT#<statementId>` | `V#<version>#<runId>#P#<page>` | |
 */
export const postTradeKeys = {
  dayPk: (scheme: string, date: string) => `PTDAY#${scheme}#${date}`,
  dayState: (scheme: string, date: string): ItemKey => ({
    pk: postTradeKeys.dayPk(scheme, date),
    sk: "STATE",
  }),
  dayCurtailment: (scheme: string, date: string): ItemKey => ({
    pk: postTradeKeys.dayPk(scheme, date),
    sk: "CI",
  }),
  actualsClaim: (scheme: string, actualsId: string): ItemKey => ({
    pk: `ACTUALSID#${scheme}#${actualsId}`,
    sk: "ACTUALSID",
  }),
  actualsPk: (scheme: string, date: string) => `ACTUALS#${scheme}#${date}`,
  actualsPart: (
    scheme: string,
    date: string,
    receivedAt: string,
    actualsId: string,
    part: number,
  ): ItemKey => ({
    pk: postTradeKeys.actualsPk(scheme, date),
    sk: `${receivedAt}#${actualsId}#${pad(part, 4)}`,
  }),
  nominationPk: (scheme: string, date: string) => `NOM#${scheme}#${date}`,
  nomination: (scheme: string, date: string, entryId: string, version: number): ItemKey => ({
    pk: postTradeKeys.nominationPk(scheme, date),
    sk: `${entryId}#V#${pad(version)}`,
  }),
  nominationPointer: (scheme: string, date: string, entryId: string): ItemKey => ({
    pk: postTradeKeys.nominationPk(scheme, date),
    sk: `${entryId}#CURRENT`,
  }),
  meterPk: (scheme: string, date: string) => `MREAD#${scheme}#${date}`,
  meterDay: (
    scheme: string,
    date: string,
    entryId: string,
    direction: string,
    uploadId: string,
  ): IndexedItemKey => ({
    pk: postTradeKeys.meterPk(scheme, date),
    sk: `${entryId}#${direction}#${uploadId}`,
    gsi1pk: postTradeKeys.meterOfEntry(entryId),
    gsi1sk: `${date}#${scheme}#${direction}#${uploadId}`,
  }),
  meterOfEntry: (entryId: string) => `MENTRY#${entryId}`,
  uploadPk: (uploadId: string) => `MUPLOAD#${uploadId}`,
  upload: (uploadId: string): ItemKey => ({ pk: postTradeKeys.uploadPk(uploadId), sk: "MUPLOAD" }),
  uploadPage: (uploadId: string, page: number): ItemKey => ({
    pk: postTradeKeys.uploadPk(uploadId),
    sk: `P#${pad(page, 4)}`,
  }),
  uploadSession: (uploadId: string): ItemKey => ({
    pk: `UPLOADSESSION#${uploadId}`,
    sk: "SESSION",
  }),
  runPk: (runId: string) => `SRUN#${runId}`,
  run: (runId: string): ItemKey => ({ pk: postTradeKeys.runPk(runId), sk: "RUN" }),
  monthPk: (month: string) => `SMONTH#${month}`,
  runOfMonth: (month: string, startedAt: string, runId: string): ItemKey => ({
    pk: postTradeKeys.monthPk(month),
    sk: `RUN#${startedAt}#${runId}`,
  }),
  monthLock: (month: string): ItemKey => ({ pk: postTradeKeys.monthPk(month), sk: "LOCK" }),
  dayLinesPage: (runId: string, day: string, page: number): ItemKey => ({
    pk: postTradeKeys.runPk(runId),
    sk: `L#${day}#${pad(page, 4)}`,
  }),
  dayLinesMarker: (runId: string, day: string): ItemKey => ({
    pk: postTradeKeys.runPk(runId),
    sk: `D#${day}`,
  }),
  statementsOfMonth: (month: string) => `STMTS#${month}`,
  statementPk: (statementId: string) => `STMT#${statementId}`,
  statementHead: (
    statementId: string,
    month: string,
    participantId: string,
    version: number,
    runId: string,
  ): IndexedItemKey => ({
    pk: postTradeKeys.statementsOfMonth(month),
    sk: `${participantId}#${pad(version)}#${runId}`,
    gsi1pk: postTradeKeys.statementPk(statementId),
    gsi1sk: `${pad(version)}#${runId}`,
  }),
  statementLinesPage: (
    statementId: string,
    version: number,
    runId: string,
    page: number,
  ): ItemKey => ({
    pk: postTradeKeys.statementPk(statementId),
    sk: `V#${pad(version)}#${runId}#P#${pad(page, 4)}`,
  }),
  statementLinesPrefix: (version: number, runId: string) => `V#${pad(version)}#${runId}#P#`,
} as const;

/** Shards of the due-deliveries index, so that its writes spread over partitions. */
export const DUE_SHARDS = 8;

export const webhookKeys = {
  endpoint: (owner: string): ItemKey => ({ pk: `WHEP#${owner}`, sk: "ENDPOINT" }),
  delivery: (deliveryId: string): ItemKey => ({ pk: `WHDLV#${deliveryId}`, sk: "DELIVERY" }),
  deliveriesOf: (owner: string) => `WHDLVS#${owner}`,
  deliveryOrder: (createdAt: string, deliveryId: string) => `${createdAt}#${deliveryId}`,
  dueShard: (shard: number) => `WHDUE#${shard}`,
  /** The shard of a delivery: from its id's last hex digits. */
  shardOf: (deliveryId: string) => Number.parseInt(deliveryId.slice(-4), 16) % DUE_SHARDS,
  dueOrder: (dueAt: string, deliveryId: string) => `${dueAt}#${deliveryId}`,
} as const;

/**
 * Keys of day-of verification (R-VERIFY).
 *
 * | item | pk | sk | gsi1 (pk / sk) | gsi2 (pk / sk) |
 * |---|---|---|---|---|
 * | receive-order counter of a scheme-day | `TOPOLOGY#<scheme>#<date>` | `SEQ` | | |
 * | topology change | `TOPOLOGY#<scheme>#<date>` | `TC#<topologyChangeId>` | | |
 */
export const TOPOLOGY_PREFIX = "TOPOLOGY#";

export const verificationKeys = {
  dayPk: (scheme: string, date: string) => `${TOPOLOGY_PREFIX}${scheme}#${date}`,
  counter: (scheme: string, date: string): ItemKey => ({
    pk: `${TOPOLOGY_PREFIX}${scheme}#${date}`,
    sk: "SEQ",
  }),
  change: (scheme: string, date: string, id: string): ItemKey => ({
    pk: `${TOPOLOGY_PREFIX}${scheme}#${date}`,
    sk: `TC#${id}`,
  }),
  changePrefix: "TC#",
} as const;
