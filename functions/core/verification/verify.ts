import type { PostTradeConfig } from "../config/post-trade-config";
import { ConflictError, DomainError } from "../errors";
import type { PlatformEvent } from "../events/platform-event";
import { publicationEvents } from "../events/publication-events";
import { tradeCancelledEvents } from "../events/trade-events";
import { addDays, localTimeOnDay } from "../model/calendar";
import {
  type DayTrade,
  latestVersion,
  type MeritOrderVersion,
  type PostTradeDay,
  type TopologyChange,
  type TopologyChangeOutcome,
  type TradeCancellation,
  type VetoRecord,
} from "./day";
import { type Membership, membershipOf } from "./membership";
import { republishFrom, versionsOf } from "./republish";

/** What a verification step returns: the new day, its outcome and the events to write with it. */
export interface Verified<T> {
  day: PostTradeDay;
  outcome: T;
  /** R-NOTIFY-3: written in the same transaction as the day's change (R-VERIFY-6). */
  events: PlatformEvent[];
  /** True when this repeats an earlier request (R-VERIFY-2, R-VERIFY-8): nothing changed. */
  replayed: boolean;
}

/** R-VERIFY-2: the same `topologyChangeId` with another body. */
export class TopologyChangeConflictError extends ConflictError {
  constructor(id: string) {
    super(
      "TOPOLOGY_CHANGE_CONFLICT",
      `Topology change ${id} was already received with another body.`,
    );
    this.name = "TopologyChangeConflictError";
  }
}

/** R-VERIFY-7: no published MOL for the scheme and day yet. */
export class MeritOrderNotPublishedError extends ConflictError {
  constructor() {
    super(
      "MERIT_ORDER_NOT_PUBLISHED",
      "The day's merit order is not published yet; before gate closure send a new look-ahead (R-IN-3).",
    );
    this.name = "MeritOrderNotPublishedError";
  }
}

/**
 * R-VERIFY-3: the cancellation SP `c` (0-based) = the first SP starting at or after
 * max(effectiveFrom, received) + notice; null when no SP of the day starts then or later (§19:
 * at or after the end of the day; decision D-67: also inside the last SP).
 */
export function cancellationIndexOf(
  day: PostTradeDay,
  effectiveFromMs: number,
  receivedAtMs: number,
  config: Pick<PostTradeConfig, "verificationNoticeMinutes">,
): number | null {
  const from = Math.max(effectiveFromMs, receivedAtMs) + config.verificationNoticeMinutes * 60_000;
  // No SP of the day starts at or after it (it falls in or after the last SP): no `c` either.
  const index = day.lookAhead.day.periods.findIndex((p) => p.startMs >= from);
  return index < 0 ? null : index;
}

/**
 * R-VERIFY-4 Act(e) over SPs [from, to): the constraints whose MOL after the changes holds e in
 * some SP of it and that are active in it (required curtailment > 0 in an SP, per the look-ahead's
 * or the change's CLA; no CLA = active), with membership per SP (D-77). Sorted.
 */
export function activeConstraintsOf(
  membership: Membership,
  entryId: string,
  from: number,
  to: number,
): string[] {
  const out: string[] = [];
  for (const k of membership.listing(entryId)) {
    let holds = false;
    for (let i = from; i < to && !holds; i += 1) holds = membership.holds(k, i, entryId);
    if (!holds) continue;
    const cla = membership.requiredKw(k);
    let active = cla === undefined;
    for (let i = from; i < to && !active; i += 1) active = (cla?.[i] ?? 0) > 0;
    if (active) out.push(k);
  }
  return out.sort();
}

/**
 * R-VERIFY-1..7: applies a validated topology change received at `receivedAtMs`. A repeat of a
 * held change returns its first outcome (R-VERIFY-2). Received at or after the end of the day it
 * is recorded only (R-VERIFY-7); without a cancellation SP it has no effect (R-VERIFY-3 §19);
 * either way its membership counts for R-PERF-10 and R-CI. Otherwise each confirmed trade whose
 * window ends after `c` stands iff its market's constraint is in Act(buyer) = Act(seller) over
 * its remaining window, else it is cancelled from the first remaining SP (R-VERIFY-4); every
 * constraint whose instructions change gets a new version (R-VERIFY-5), trades of a re-ordering
 * that fails R-REORDER-5 are cancelled from `c` too. Returns the cancellations, versions and the
 * events to write with them in one transaction (R-VERIFY-6).
 */
export function applyTopologyChange(
  day: PostTradeDay,
  change: TopologyChange,
  receivedAtMs: number,
  config: PostTradeConfig,
): Verified<TopologyChangeOutcome> {
  const held = day.changes.find((c) => c.change.topologyChangeId === change.topologyChangeId);
  if (held) {
    if (held.change.bodyHash !== change.bodyHash)
      throw new TopologyChangeConflictError(change.topologyChangeId);
    return { day, outcome: held.outcome, events: [], replayed: true };
  }
  if (day.versions.length === 0) throw new MeritOrderNotPublishedError();

  const quiet = (effect: TopologyChangeOutcome["effect"]): Verified<TopologyChangeOutcome> => {
    const outcome: TopologyChangeOutcome = {
      topologyChangeId: change.topologyChangeId,
      receivedAtMs,
      effect,
      cancellationIndex: null,
      cancelledTrades: [],
      publishedVersions: [],
    };
    return {
      day: { ...day, changes: [...day.changes, { change, receivedAtMs, outcome }] },
      outcome,
      events: [],
      replayed: false,
    };
  };
  if (receivedAtMs >= day.lookAhead.day.endMs) return quiet("recorded-after-delivery");
  const c = cancellationIndexOf(day, change.effectiveFromMs, receivedAtMs, config);
  if (c === null) return quiet("no-effect");

  const pending: TopologyChangeOutcome = {
    topologyChangeId: change.topologyChangeId,
    receivedAtMs,
    effect: "applied",
    cancellationIndex: c,
    cancelledTrades: [],
    publishedVersions: [],
  };
  const changes = [...day.changes, { change, receivedAtMs, outcome: pending }];
  const membership = membershipOf(day.lookAhead, changes);

  // R-VERIFY-4: which trades stand.
  const cancelledFrom = new Map<string, number>();
  const trades = day.trades.map((t): DayTrade => {
    if (t.status !== "confirmed" || t.market.endIndex <= c) return t;
    const from = Math.max(c, t.market.firstIndex);
    const buyer = activeConstraintsOf(membership, t.trade.buyEntryId, from, t.market.endIndex);
    const seller = activeConstraintsOf(membership, t.trade.sellEntryId, from, t.market.endIndex);
    const stands =
      buyer.includes(t.market.constraintId) &&
      buyer.length === seller.length &&
      buyer.every((k, i) => k === seller[i]);
    if (!stands) {
      cancelledFrom.set(t.trade.tradeId, from);
      return t;
    }
    // D-62: a standing trade keeps its constraints and is applied in every active one it shares.
    const constraintIds = [
      t.market.constraintId,
      ...[...new Set([...t.constraintIds, ...buyer])]
        .filter((k) => k !== t.market.constraintId)
        .sort(),
    ];
    return { ...t, constraintIds };
  });
  const withoutCancelled = { ...day, trades, changes };
  const republication = republishFrom(
    withoutCancelled,
    membership,
    c,
    new Set(cancelledFrom.keys()),
  );
  for (const id of republication.refused) {
    const t = trades.find((x) => x.trade.tradeId === id)!;
    if (!cancelledFrom.has(id)) cancelledFrom.set(id, Math.max(c, t.market.firstIndex));
  }
  return finish(
    withoutCancelled,
    membership,
    republication,
    c,
    cancelledFrom,
    {
      reason: "topology-change",
      publishedAtMs: receivedAtMs,
      topologyChangeId: change.topologyChangeId,
    },
    (_t, fromIndex, meritOrderVersion) => ({
      reason: "topology-change",
      fromIndex,
      topologyChangeId: change.topologyChangeId,
      effectiveFromMs: change.effectiveFromMs,
      meritOrderVersion,
      atMs: receivedAtMs,
    }),
    () => "cancelled",
    (d, versions, cancelled) => {
      const outcome: TopologyChangeOutcome = {
        ...pending,
        cancelledTrades: cancelled.map((t) => ({
          tradeId: t.trade.tradeId,
          marketId: t.trade.marketId,
          fromIndex: t.cancellation!.fromIndex,
        })),
        publishedVersions: versions.map((v) => ({
          constraintId: v.constraintId,
          version: v.version,
        })),
      };
      const last = d.changes.length - 1;
      const changesHeld = d.changes.map((h, i) => (i === last ? { ...h, outcome } : h));
      return { day: { ...d, changes: changesHeld }, outcome };
    },
  );
}

/**
 * Shared end of a change or veto: publishes the new versions, marks the trades cancelled (with
 * the version of their market constraint in force afterwards) and builds the events in a fixed
 * order: cancellations, then each version's publication events (R-VERIFY-6, D-68).
 */
function finish<T>(
  day: PostTradeDay,
  membership: Membership,
  republication: ReturnType<typeof republishFrom>,
  fromIndex: number,
  cancelledFrom: ReadonlyMap<string, number>,
  meta: Pick<MeritOrderVersion, "reason" | "publishedAtMs" | "topologyChangeId">,
  cancellationOf: (t: DayTrade, fromIndex: number, meritOrderVersion: number) => TradeCancellation,
  statusOf: (t: DayTrade) => "cancelled" | "vetoed",
  outcomeOf: (
    day: PostTradeDay,
    versions: MeritOrderVersion[],
    cancelled: DayTrade[],
  ) => { day: PostTradeDay; outcome: T },
): Verified<T> {
  const cancelledIds = (constraintId: string) =>
    day.trades
      .filter((t) => cancelledFrom.has(t.trade.tradeId) && t.constraintIds.includes(constraintId))
      .map((t) => t.trade.tradeId)
      .sort();
  const versions = versionsOf(day, membership, republication, fromIndex, meta, cancelledIds);
  const versionOf = (constraintId: string) =>
    versions.find((v) => v.constraintId === constraintId)?.version ??
    latestVersion(day, constraintId)?.version ??
    0;
  const cancelled: DayTrade[] = [];
  const trades = day.trades.map((t) => {
    const from = cancelledFrom.get(t.trade.tradeId);
    if (from === undefined) return t;
    const next: DayTrade = {
      ...t,
      status: statusOf(t),
      cancellation: cancellationOf(t, from, versionOf(t.market.constraintId)),
    };
    cancelled.push(next);
    return next;
  });
  const published = { ...day, trades, versions: [...day.versions, ...versions] };
  const { day: result, outcome } = outcomeOf(published, versions, cancelled);
  const events = [
    ...cancelled.flatMap((t) => tradeCancelledEvents(t, result)),
    ...versions.flatMap((v) =>
      publicationEvents(
        result,
        v,
        v.supersedesVersion === null
          ? undefined
          : day.versions.find(
              (p) => p.constraintId === v.constraintId && p.version === v.supersedesVersion,
            ),
      ),
    ),
  ];
  return { day: result, outcome, events, replayed: false };
}

/**
 * R-VERIFY-8: a veto of a matched market before the scheme's deadline (`HH:MM` local on D-1;
 * null = vetoes off, D-78). Its trades become `vetoed` from their window's first SP (no valid SP), a
 * version without them is published for each constraint whose instructions change (reason
 * `dno-veto`), and `trade.cancelled` goes to each party. A repeat returns the first result.
 */
export function applyVeto(
  day: PostTradeDay,
  request: { marketId: string; reason: string },
  receivedAtMs: number,
  config: Pick<PostTradeConfig, "vetoDeadline">,
): Verified<VetoRecord> {
  const held = day.vetoes.find((v) => v.marketId === request.marketId);
  if (held) return { day, outcome: held, events: [], replayed: true };
  const market = day.markets.find((m) => m.marketId === request.marketId);
  if (!market) throw new DomainError("NOT_FOUND", `Market ${request.marketId} was not found.`);
  if (config.vetoDeadline === null)
    throw new ConflictError("MARKET_NOT_VETOABLE", "Vetoes are off for this scheme (R-VERIFY-8).");
  const deadline = localTimeOnDay(addDays(day.lookAhead.deliveryDate, -1), config.vetoDeadline);
  if (receivedAtMs >= deadline)
    throw new ConflictError(
      "VETO_DEADLINE_PASSED",
      `The veto deadline (${config.vetoDeadline} on the day before delivery) has passed.`,
    );
  if (day.versions.length === 0)
    throw new ConflictError("MARKET_NOT_VETOABLE", "The market is not matched yet (R-VERIFY-8).");
  const vetoed = day.trades.filter(
    (t) => t.trade.marketId === market.marketId && t.status === "confirmed",
  );
  if (vetoed.length === 0)
    throw new ConflictError("MARKET_NOT_VETOABLE", "The market has no trades (R-VERIFY-8).");

  const membership = membershipOf(day.lookAhead, day.changes);
  const vetoedIds = new Set(vetoed.map((t) => t.trade.tradeId));
  const republication = republishFrom(day, membership, 0, vetoedIds);
  const cancelledFrom = new Map<string, number>(
    vetoed.map((t) => [t.trade.tradeId, t.market.firstIndex]),
  );
  // D-63: trades refused by R-REORDER-5 when the vetoed ones are taken out are cancelled from
  // their window start with reason dno-veto.
  for (const id of republication.refused) {
    const t = day.trades.find((x) => x.trade.tradeId === id)!;
    if (!cancelledFrom.has(id)) cancelledFrom.set(id, t.market.firstIndex);
  }
  return finish(
    day,
    membership,
    republication,
    0,
    cancelledFrom,
    { reason: "dno-veto", publishedAtMs: receivedAtMs },
    (_t, fromIndex, meritOrderVersion) => ({
      reason: "dno-veto",
      fromIndex,
      meritOrderVersion,
      atMs: receivedAtMs,
    }),
    (t) => (vetoedIds.has(t.trade.tradeId) ? "vetoed" : "cancelled"),
    (d, versions) => {
      const outcome: VetoRecord = {
        marketId: market.marketId,
        reason: request.reason,
        vetoedAtMs: receivedAtMs,
        vetoedTradeIds: [...vetoedIds].sort(),
        publishedVersions: versions.map((v) => ({
          constraintId: v.constraintId,
          version: v.version,
        })),
      };
      return { day: { ...d, vetoes: [...d.vetoes, outcome] }, outcome };
    },
  );
}
