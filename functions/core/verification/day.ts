import type { Trade } from "../matching/match";
import type { MeritOrderSegment } from "../merit-order/reorder";
import type { LookAhead, MolEntry } from "../model/look-ahead";
import type { Market } from "../opportunities/derive";
import type { ServiceType } from "../orders/order";

/**
 * What the rules after gate closure know about one scheme's delivery day: the look-ahead, its
 * markets and trades with their status, every published merit-order version and every topology
 * change held. Values only: each rule returns a new day instead of changing this one.
 */
export interface PostTradeDay {
  lookAhead: LookAhead;
  markets: ReadonlyArray<Market>;
  trades: ReadonlyArray<DayTrade>;
  /** Every published version of every constraint, oldest first (R-REORDER-6: immutable). */
  versions: ReadonlyArray<MeritOrderVersion>;
  /** Topology changes held, in receive order (R-VERIFY-2). */
  changes: ReadonlyArray<HeldTopologyChange>;
  /** Vetoes held (R-VERIFY-8), in receive order. */
  vetoes: ReadonlyArray<VetoRecord>;
  /** Entry id → owning participant (R-ELIG-1 claims): recipients of R-DISPATCH-2 events. */
  owners: ReadonlyMap<string, string>;
}

export type TradeStatus = "confirmed" | "cancelled" | "vetoed";
export type CancellationReason = "topology-change" | "dno-veto";

/** Why and from when a trade no longer applies (R-VERIFY-4/5/8). Final once set. */
export interface TradeCancellation {
  reason: CancellationReason;
  /** 0-based index of the first SP that is no longer valid (`cancelledFromSp` − 1). */
  fromIndex: number;
  topologyChangeId?: string;
  /** R-PERF-9: the change's `effectiveFrom`; SPs starting at or after it are not tested. */
  effectiveFromMs?: number;
  /** The version of the market constraint's MOL in force after the cancellation. */
  meritOrderVersion: number;
  /** When the cancellation was made (the change's or veto's receive time). */
  atMs: number;
}

/** A trade as the post-trade rules see it (R-SETTLE-1: confirmed, cancelled or vetoed). */
export interface DayTrade {
  trade: Trade;
  market: Market;
  /** R-ORDER-1 service type of the offer: how its delivery is measured (R-PERF-4/5/6). */
  serviceType: ServiceType;
  /** Constraints whose MOL the swap applies to: the market's first, then R-ELIG-5's. */
  constraintIds: ReadonlyArray<string>;
  status: TradeStatus;
  cancellation?: TradeCancellation;
}

export type VersionReason = "day-ahead" | "fallback" | "topology-change" | "dno-veto";

/** One published merit-order version of a constraint (R-REORDER-6, R-VERIFY-5). */
export interface MeritOrderVersion {
  constraintId: string;
  version: number;
  reason: VersionReason;
  supersedesVersion: number | null;
  topologyChangeId?: string;
  /** Trades cancelled by the change or veto that made this version. */
  cancelledTradeIds: ReadonlyArray<string>;
  segments: ReadonlyArray<MeritOrderSegment>;
  publishedAtMs: number;
}

/** A constraint as a topology change lists it (R-VERIFY-1), in core units. */
export interface ChangedConstraint {
  constraintId: string;
  name: string | undefined;
  /** Only for a constraint the look-ahead does not have; kW per SP. */
  requiredKw: number[] | undefined;
  /** Its whole MOL from `effectiveFrom`, sorted by curtailmentOrder. */
  entries: MolEntry[];
}

/** A validated topology change (R-VERIFY-1). */
export interface TopologyChange {
  topologyChangeId: string;
  anmSchemeId: string;
  deliveryDate: string;
  effectiveFromMs: number;
  constraints: ChangedConstraint[];
  /** SHA-256 of the canonical body: the same id with another body is a conflict (R-VERIFY-2). */
  bodyHash: string;
}

export type ChangeEffect = "applied" | "no-effect" | "recorded-after-delivery";

/** The outcome of a topology change, as `POST /anm/topology-changes` answers it. */
export interface TopologyChangeOutcome {
  topologyChangeId: string;
  receivedAtMs: number;
  effect: ChangeEffect;
  /** 0-based index of the cancellation SP `c` (R-VERIFY-3); null without one. */
  cancellationIndex: number | null;
  cancelledTrades: { tradeId: string; marketId: string; fromIndex: number }[];
  publishedVersions: { constraintId: string; version: number }[];
}

export interface HeldTopologyChange {
  change: TopologyChange;
  receivedAtMs: number;
  outcome: TopologyChangeOutcome;
}

/** A veto as held (R-VERIFY-8): a repeat returns this first result. */
export interface VetoRecord {
  marketId: string;
  reason: string;
  vetoedAtMs: number;
  vetoedTradeIds: string[];
  publishedVersions: { constraintId: string; version: number }[];
}

/** The latest published version of a constraint, if any. */
export function latestVersion(
  day: Pick<PostTradeDay, "versions">,
  constraintId: string,
): MeritOrderVersion | undefined {
  let latest: MeritOrderVersion | undefined;
  for (const v of day.versions)
    if (v.constraintId === constraintId && (!latest || v.version > latest.version)) latest = v;
  return latest;
}

/** 0-based SP indexes in which a trade is valid (R-UNIT-3: its window SPs before the cancellation). */
export function validIndexes(t: DayTrade): number[] {
  if (t.status === "vetoed") return [];
  const end = Math.min(t.market.endIndex, t.cancellation?.fromIndex ?? t.market.endIndex);
  const out: number[] = [];
  for (let i = t.market.firstIndex; i < end; i += 1) out.push(i);
  return out;
}

/** True when the trade's swap is in force in SP `index` (valid there and not vetoed). */
export function inForceAt(t: DayTrade, index: number): boolean {
  if (t.status === "vetoed") return false;
  const end = Math.min(t.market.endIndex, t.cancellation?.fromIndex ?? t.market.endIndex);
  return index >= t.market.firstIndex && index < end;
}

/** D-15: trades across markets in (window start, market id, matching sequence) order. */
export function compareTrades(a: DayTrade, b: DayTrade): number {
  return (
    a.market.windowStartMs - b.market.windowStartMs ||
    (a.market.marketId < b.market.marketId ? -1 : a.market.marketId > b.market.marketId ? 1 : 0) ||
    a.trade.sequence - b.trade.sequence
  );
}
