import type { Trade } from "./matching/match";
import type { ConstraintMeritOrder } from "./merit-order/reorder";
import type { LookAheadBody } from "./model/look-ahead";
import type { EntryClaim, Market, Opportunity } from "./opportunities/derive";
import type { Order } from "./orders/order";

/**
 * Ports: what the day-ahead use cases need from the outside world. Adapters implement them with
 * DynamoDB and Step Functions; tests may implement them in memory. Every write is idempotent or
 * conditional, as each method's comment says.
 */

/** The wall clock, read once per request or step (R-GATE-1: "taken once"). */
export interface Clock {
  nowMs(): number;
}

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

export interface ClaimSource {
  /** R-ELIG-1: entries claimed by qualified assets of approved participants in the scheme. */
  listEntryClaims(anmSchemeId: string): Promise<EntryClaim[]>;
}

/** Notifications to participants (an outbox record each; delivery comes later). */
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

export interface WorkflowStarter {
  /** Starts (or finds, when already started with this name) the cycle's execution. */
  start(name: string, input: unknown): Promise<string>;
  stop(executionArn: string, cause: string): Promise<void>;
}
