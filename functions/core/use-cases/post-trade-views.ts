import type { LedgerRow } from "../curtailment-index/ledger";
import type { PlatformEvent } from "../events/platform-event";
import type { Mol } from "../model/look-ahead";
import { Rational } from "../model/rational";
import { toUtcIso } from "../model/settlement-periods";
import { kwToMw, penceToGbp } from "../model/units";
import type { ThirdPartyImpact, TradePerformance } from "../performance/performance";
import type { SettlementLine } from "../settlement/lines";
import type { SettlementRun, Statement } from "../settlement/settlement-run";
import { compareLines, lineCells } from "../settlement/statement-csv";
import {
  type DayTrade,
  type MeritOrderVersion,
  type PostTradeDay,
  type TopologyChangeOutcome,
  type VetoRecord,
  validIndexes,
} from "../verification/day";
import { segmentView } from "./views";

/**
 * Core post-trade objects → the JSON of docs/api.md (R-SETTLE-9 shown values: MW 3 dp;
 * MWh, hours, r, PM 6 dp; GBP 2 dp; half-up). The routes and `npm run simulate -- --post-trade`
 * answer through these, so both doors show the same numbers. A shown value never feeds a
 * computation.
 */

const shownMw = (w: Rational) => w.div(1_000_000).shown(3);
const shownMwh = (wsp: Rational) => wsp.div(2_000_000).shown(6);

/** A MOL as received (`base` of `GET /anm/merit-order`). */
export function molView(mol: Mol | undefined) {
  return {
    entries: (mol?.entries ?? []).map((e) => ({
      entryId: e.entryId,
      resourceId: e.resourceId,
      capacityMw: kwToMw(e.capacityKw),
      forecastMw: e.forecastKw.map(kwToMw),
      curtailmentOrder: e.curtailmentOrder,
      tradable: e.tradable,
    })),
  };
}

/** `GET /anm/merit-order?version=` for one version (R-REORDER-6, R-VERIFY-5). */
export function meritOrderVersionView(
  day: PostTradeDay,
  v: MeritOrderVersion,
  base: Mol | undefined,
) {
  return {
    anmSchemeId: day.lookAhead.anmSchemeId,
    deliveryDate: day.lookAhead.deliveryDate,
    constraintId: v.constraintId,
    status: "published" as const,
    version: v.version,
    baseVersion: day.lookAhead.mols.get(v.constraintId)?.version ?? null,
    reason: v.reason,
    supersedesVersion: v.supersedesVersion,
    ...(v.topologyChangeId ? { topologyChangeId: v.topologyChangeId } : {}),
    cancelledTradeIds: [...v.cancelledTradeIds],
    publishedAt: toUtcIso(v.publishedAtMs),
    base: molView(base),
    segments: v.segments.map(segmentView),
  };
}

/** A trade's status fields (`GET /trades` additive fields, the `trade.cancelled` data). */
export function tradeStatusView(day: PostTradeDay, t: DayTrade) {
  const c = t.cancellation;
  const period = c ? day.lookAhead.day.periods[c.fromIndex] : undefined;
  return {
    tradeId: t.trade.tradeId,
    marketId: t.trade.marketId,
    status: t.status,
    ...(c && period
      ? {
          reason: c.reason,
          cancellationReason: c.reason,
          cancelledFromSp: period.sp,
          cancelledFrom: period.start,
          validSpCount: validIndexes(t).length,
          meritOrderVersion: c.meritOrderVersion,
          ...(c.topologyChangeId ? { topologyChangeId: c.topologyChangeId } : {}),
        }
      : {}),
  };
}

/** The answer of `POST /anm/topology-changes` (R-VERIFY-1..7). */
export function topologyChangeView(day: PostTradeDay, o: TopologyChangeOutcome) {
  const periods = day.lookAhead.day.periods;
  const c = o.cancellationIndex === null ? undefined : periods[o.cancellationIndex];
  return {
    topologyChangeId: o.topologyChangeId,
    receivedAt: toUtcIso(o.receivedAtMs),
    effect: o.effect,
    cancellationSp: c?.sp ?? null,
    cancellationFrom: c?.start ?? null,
    cancelledTrades: o.cancelledTrades.map((t) => ({
      tradeId: t.tradeId,
      marketId: t.marketId,
      cancelledFromSp: periods[t.fromIndex]!.sp,
      cancelledFrom: periods[t.fromIndex]!.start,
    })),
    publishedVersions: o.publishedVersions,
  };
}

/** The answer of `POST /anm/market-vetoes` (R-VERIFY-8). */
export function vetoView(v: VetoRecord) {
  return {
    marketId: v.marketId,
    vetoedAt: toUtcIso(v.vetoedAtMs),
    reason: v.reason,
    vetoedTradeIds: v.vetoedTradeIds,
    publishedVersions: v.publishedVersions,
  };
}

/**
 * `GET /performance` items of one trade: the buyer's and the seller's (R-PERF); the buyer's view
 * omits the seller's baseline, meter and turn-down values.
 */
export function performanceViews(day: PostTradeDay, p: TradePerformance) {
  const t = p.trade;
  const periods = day.lookAhead.day.periods;
  const item = (role: "buyer" | "seller") => ({
    tradeId: t.trade.tradeId,
    marketId: t.trade.marketId,
    constraintId: t.market.constraintId,
    role,
    status: t.status === "cancelled" ? "cancelled" : "confirmed",
    entryId: role === "buyer" ? t.trade.buyEntryId : t.trade.sellEntryId,
    counterpartyEntryId: role === "buyer" ? t.trade.sellEntryId : t.trade.buyEntryId,
    provisional: p.provisional,
    baselineMethod: p.baselineMethod,
    validSps: p.validIndexes.map((i) => periods[i]!.sp),
    testSps: p.testIndexes.map((i) => periods[i]!.sp),
    periods: p.periods.map((q) => ({
      sp: periods[q.index]!.sp,
      start: periods[q.index]!.start,
      inTest: q.inTest,
      expectedMw: shownMw(q.expectedW),
      deliveredMw: shownMw(q.deliveredW),
      ...(role === "seller"
        ? {
            baselineMw: q.baselineW === undefined ? null : shownMw(q.baselineW),
            meteredMw: q.meteredW === undefined ? null : shownMw(Rational.of(q.meteredW)),
            turnDownMw: shownMw(q.turnDownW),
          }
        : {}),
      flags: q.flags,
    })),
    expectedMwh: shownMwh(p.expectedWsp),
    deliveredMwh: shownMwh(p.deliveredWsp),
    performanceRatio: p.ratio?.shown(6) ?? null,
    performanceMultiplier: p.multiplier.shown(6),
    thirdPartyImpactMwh: shownMwh(p.thirdPartyWsp),
    flags: p.flags,
  });
  return [item("buyer"), item("seller")];
}

/** `GET /third-party-impacts` item (R-PERF-10). */
export function thirdPartyImpactView(day: PostTradeDay, x: ThirdPartyImpact) {
  const period = day.lookAhead.day.periods[x.index]!;
  return {
    constraintId: x.constraintId,
    sp: period.sp,
    start: period.start,
    entryId: x.entryId,
    extraMw: shownMw(Rational.of(x.extraW)),
    extraMwh: shownMwh(Rational.of(x.extraW)),
    attributedTo: x.attributed.map((a) => ({ tradeId: a.tradeId, mwh: shownMwh(a.w) })),
  };
}

/** A statement line as JSON (R-SETTLE-8 columns, shown values of R-SETTLE-9). */
export function settlementLineView(
  line: SettlementLine,
  statement: Pick<Statement, "statementId" | "version" | "month">,
) {
  const cells = lineCells(line, statement);
  return {
    statementId: statement.statementId,
    version: statement.version,
    month: statement.month,
    participantId: line.participantId,
    tradeId: line.tradeId,
    role: line.role,
    deliveryDate: line.deliveryDate,
    marketId: line.marketId,
    constraintId: line.constraintId,
    entryId: line.entryId,
    counterpartyEntryId: line.counterpartyEntryId,
    status: line.status,
    quantityMw: Number(cells.quantityMw),
    availabilityPrice: penceToGbp(line.availabilityPricePence),
    utilisationPrice: penceToGbp(line.utilisationPricePence),
    validHours: Number(cells.validHours),
    expectedMwh: Number(cells.expectedMwh),
    deliveredMwh: Number(cells.deliveredMwh),
    performanceRatio: line.performanceRatio === null ? null : Number(cells.performanceRatio),
    performanceMultiplier:
      line.performanceMultiplier === null ? null : Number(cells.performanceMultiplier),
    availabilityGbp: penceToGbp(line.availabilityPence),
    utilisationGbp: penceToGbp(line.utilisationPence),
    totalGbp: penceToGbp(line.totalPence),
    thirdPartyImpactMwh: Number(cells.thirdPartyImpactMwh),
    flags: line.flags,
  };
}

/** `GET /statements` item (the latest version of each, or any version asked for). */
export function statementView(s: Statement) {
  return {
    statementId: s.statementId,
    participantId: s.participantId,
    month: s.month,
    version: s.version,
    issuedAt: toUtcIso(s.issuedAtMs),
    settlementRunId: s.settlementRunId,
    payableGbp: penceToGbp(s.payablePence),
    receivableGbp: penceToGbp(s.receivablePence),
    netGbp: penceToGbp(s.netPence),
    lineCount: s.lines.length,
  };
}

/** `GET /statements/{id}?version=` as JSON: the item and its lines in R-SETTLE-8 order. */
export function statementDetailView(s: Statement) {
  return {
    ...statementView(s),
    lines: [...s.lines].sort(compareLines).map((l) => settlementLineView(l, s)),
  };
}

/** `GET /settlement-runs/{id}` (R-SETTLE-7). */
export function settlementRunView(r: SettlementRun) {
  return {
    settlementRunId: r.settlementRunId,
    month: r.month,
    status: r.status,
    startedAt: toUtcIso(r.startedAtMs),
    finishedAt: toUtcIso(r.finishedAtMs),
    statements: r.statements,
  };
}

/** `GET /curtailment-index` item (R-CI-1). */
export function curtailmentIndexView(r: LedgerRow, asOfMs: number) {
  return {
    entryId: r.entryId,
    anmSchemeId: r.anmSchemeId,
    financialYear: r.financialYear,
    from: r.from,
    to: r.to,
    networkCurtailmentMwh: r.networkMwh.shown(6),
    tradedCurtailmentMwh: r.tradedMwh.shown(6),
    avoidedCurtailmentMwh: r.avoidedMwh.shown(6),
    physicalCurtailmentMwh: r.physicalMwh.shown(6),
    thirdPartyImpactMwh: r.thirdPartyMwh.shown(6),
    days: r.days,
    estimatedDays: r.estimatedDays,
    asOf: toUtcIso(asOfMs),
  };
}

/**
 * An outbox event as the simulation lists it: the webhook body (R-NOTIFY-5 `id`, `type`,
 * `timestamp`, `data`) plus its `recipient`, readable `subject` label and `version` (D-66).
 */
export function eventView(e: PlatformEvent) {
  return {
    id: e.id,
    type: e.type,
    recipient: e.recipient,
    subject: e.label,
    version: e.version,
    timestamp: toUtcIso(e.timestampMs),
    data: e.data,
  };
}
