import type { LedgerRow } from "../curtailment-index/ledger";
import type { PlatformEvent } from "../events/platform-event";
import type { Mol } from "../model/look-ahead";
import { Rational } from "../model/rational";
import { deliveryDay, toUtcIso } from "../model/settlement-periods";
import { kwToMw, penceToGbp } from "../model/units";
import type { ActualsRecord } from "../performance/actuals";
import { additiveAdjustment, generationBaseline, midXOfYBaseline } from "../performance/baseline";
import type { DayContext } from "../performance/day-context";
import {
  countsForSettlement,
  type Direction,
  type MeterBook,
  type MeterUpload,
} from "../performance/meter-readings";
import { latestNomination, type Nomination } from "../performance/nominations";
import type { ThirdPartyImpact, TradePerformance } from "../performance/performance";
import type { SettlementLine } from "../settlement/lines";
import type { SettlementRun, Statement } from "../settlement/settlement-run";
import { compareLines, lineCells } from "../settlement/statement-csv";
import {
  compareTrades,
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
export function statementView(
  s: Omit<Statement, "lines"> & ({ lines: ReadonlyArray<SettlementLine> } | { lineCount: number }),
) {
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
    lineCount: "lines" in s ? s.lines.length : s.lineCount,
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

/** An upload as its answer shows it (`POST /meter-readings`, R-PERF-2). */
export interface MeterUploadSummary {
  uploadId: string;
  receivedAtMs: number;
  byOperator: boolean;
  readingCount: number;
  days: {
    anmSchemeId: string;
    entryId: string;
    deliveryDate: string;
    direction: Direction;
    readings: number;
  }[];
}

/** The summary of an upload held in full. */
export function meterUploadSummary(u: MeterUpload): MeterUploadSummary {
  const days = u.days.map((d) => ({
    anmSchemeId: d.anmSchemeId,
    entryId: d.entryId,
    deliveryDate: d.deliveryDate,
    direction: d.direction,
    readings: d.valuesW.filter((w) => w !== null).length,
  }));
  return {
    uploadId: u.uploadId,
    receivedAtMs: u.receivedAtMs,
    byOperator: u.byOperator,
    readingCount: days.reduce((n, d) => n + d.readings, 0),
    days,
  };
}

/**
 * The answer of `POST /meter-readings` (R-PERF-2): each day with its readings and whether it
 * counts for settlement (received before the day's meter deadline, or an operator's correction).
 */
export function meterUploadView(
  u: MeterUploadSummary,
  meterDataDeadlineDays: (day: { anmSchemeId: string; deliveryDate: string }) => number,
) {
  return {
    uploadId: u.uploadId,
    receivedAt: toUtcIso(u.receivedAtMs),
    readingCount: u.readingCount,
    days: u.days.map((d) => ({
      anmSchemeId: d.anmSchemeId,
      entryId: d.entryId,
      deliveryDate: d.deliveryDate,
      direction: d.direction,
      readings: d.readings,
      countsForSettlement: countsForSettlement(u, d.deliveryDate, meterDataDeadlineDays(d)),
    })),
  };
}

/** The answer of `POST /anm/actuals` (R-PERF-1), also on a replay. */
export function actualsReceiptView(r: {
  actualsId: string;
  receivedAtMs: number;
  constraints: number;
  entries: number;
}) {
  return {
    actualsId: r.actualsId,
    receivedAt: toUtcIso(r.receivedAtMs),
    constraints: r.constraints,
    entries: r.entries,
  };
}

/**
 * `GET /anm/actuals` (R-PERF-1): the values held for the day — per constraint and per entry the
 * item of the latest post, each with the `actualsId` and `receivedAt` it came from.
 */
export function actualsHeldView(
  day: { anmSchemeId: string; deliveryDate: string },
  records: ReadonlyArray<ActualsRecord>,
) {
  const constraints = new Map<string, ReturnType<typeof constraintItem>>();
  const entries = new Map<string, ReturnType<typeof entryItem>>();
  const from = (r: ActualsRecord) => ({
    actualsId: r.actualsId,
    receivedAt: toUtcIso(r.receivedAtMs),
  });
  const constraintItem = (r: ActualsRecord, c: ActualsRecord["constraints"][number]) => ({
    constraintId: c.constraintId,
    requiredCurtailmentMw: c.requiredW.map((w) => shownMw(Rational.of(w))),
    ...(c.appliedW
      ? {
          appliedCurtailment: [...c.appliedW].map(([unitId, ws]) => ({
            unitId,
            curtailmentMw: ws.map((w) => shownMw(Rational.of(w))),
          })),
        }
      : {}),
    ...from(r),
  });
  const entryItem = (r: ActualsRecord, a: ActualsRecord["available"][number]) => ({
    entryId: a.entryId,
    availableMw: a.availableW.map((w) => shownMw(Rational.of(w))),
    ...from(r),
  });
  const inOrder = [...records].sort((a, b) => a.receivedAtMs - b.receivedAtMs);
  for (const r of inOrder) {
    for (const c of r.constraints) constraints.set(c.constraintId, constraintItem(r, c));
    for (const a of r.available) entries.set(a.entryId, entryItem(r, a));
  }
  return {
    anmSchemeId: day.anmSchemeId,
    deliveryDate: day.deliveryDate,
    constraints: [...constraints.values()],
    availablePower: [...entries.values()].sort((a, b) => (a.entryId < b.entryId ? -1 : 1)),
  };
}

/** The answer of `PUT /baselines` (R-PERF-3): the nomination as held, with its version. */
export function nominationView(n: Nomination) {
  return {
    anmSchemeId: n.anmSchemeId,
    entryId: n.entryId,
    deliveryDate: n.deliveryDate,
    nominatedMw: n.nominatedW.map((w) => shownMw(Rational.of(w))),
    receivedAt: toUtcIso(n.receivedAtMs),
    version: n.version,
  };
}

/**
 * `GET /meter-readings` (R-PERF-2): for an entry's day and direction, the reading that counts in
 * each SP (the latest counting one, §19) in kW with its `receivedAt` and `uploadId`; SPs with no
 * counting reading are left out.
 */
export function meterReadingsView(
  meters: MeterBook,
  key: { anmSchemeId: string; entryId: string; deliveryDate: string; direction: Direction },
) {
  const periods = deliveryDay(key.deliveryDate).periods;
  return {
    anmSchemeId: key.anmSchemeId,
    entryId: key.entryId,
    deliveryDate: key.deliveryDate,
    direction: key.direction,
    readings: periods.flatMap((p, i) => {
      const r = meters.reading(key.entryId, key.deliveryDate, key.direction, i);
      return r
        ? [
            {
              sp: p.sp,
              start: p.start,
              kw: Rational.of(r.w).div(1000).shown(3),
              receivedAt: toUtcIso(r.receivedAtMs),
              uploadId: r.uploadId,
            },
          ]
        : [];
    }),
  };
}

/**
 * `GET /baselines` item (R-PERF-3..5, §19 R-UNIT-3): an entry's baseline per SP of its day in kW
 * with 4 decimals (null where there is none). A seller of a demand-turn-up trade that day has the
 * mid-X-of-Y baseline and one additive adjustment per market window it sells in; every other
 * entry the nomination-capped baseline min(N, V).
 */
export function baselineView(ctx: DayContext, entryId: string) {
  const { day, config } = ctx.inputs;
  const date = day.lookAhead.deliveryDate;
  const periods = day.lookAhead.day.periods;
  const kw = (w: Rational) => w.div(1000).shown(4);
  const demand = day.trades.filter(
    (t) =>
      t.status !== "vetoed" &&
      t.serviceType === "demand-turn-up" &&
      t.trade.sellEntryId === entryId,
  );
  const base = {
    anmSchemeId: day.lookAhead.anmSchemeId,
    entryId,
    deliveryDate: date,
  };
  if (demand.length > 0) {
    const eventDays = ctx.inputs.eventDays.get(entryId) ?? new Set<string>();
    const values = periods.map((_, i) =>
      midXOfYBaseline({
        entryId,
        deliveryDate: date,
        index: i,
        meters: ctx.meters,
        eventDays,
        config,
      }),
    );
    const windows = new Map<string, DayTrade>();
    for (const t of demand) windows.set(t.market.marketId, t);
    const adjustments = [...windows.values()].sort(compareTrades).map((t) => {
      const adj = additiveAdjustment({
        windowFirstIndex: t.market.firstIndex,
        baselineAt: (i) => values[i]?.w,
        meteredAt: (i) => ctx.meters.reading(entryId, date, "import", i)?.w,
        config,
      });
      return {
        marketId: t.market.marketId,
        windowStart: toUtcIso(t.market.windowStartMs),
        adjustmentKw: kw(adj.adjW),
        flags: adj.flags,
      };
    });
    return {
      ...base,
      method: "mid-x-of-y" as const,
      baselineKw: values.map((v) => (v.w === undefined ? null : kw(v.w))),
      adjustments: adjustments.map(({ flags: _f, ...a }) => a),
      flags: [
        ...new Set([...values.flatMap((v) => v.flags), ...adjustments.flatMap((a) => a.flags)]),
      ].sort(),
    };
  }
  const nomination = latestNomination(ctx.inputs.nominations, entryId, date, ctx.inputs.asOfMs);
  const values = periods.map((_, i) =>
    generationBaseline(nomination?.nominatedW[i], ctx.availableW(entryId, i)),
  );
  return {
    ...base,
    method: "nomination-capped" as const,
    ...(nomination
      ? {
          nominatedMw: nomination.nominatedW.map((w) => shownMw(Rational.of(w))),
          receivedAt: toUtcIso(nomination.receivedAtMs),
        }
      : {}),
    baselineKw: values.map((v) => (v.w === undefined ? null : kw(v.w))),
    flags: [...new Set(values.flatMap((v) => v.flags))].sort(),
  };
}

/** A settlement run as the operator reads it (`GET /settlement-runs/{id}`), any status. */
export function storedSettlementRunView(r: {
  settlementRunId: string;
  month: string;
  status: "running" | "completed" | "failed";
  startedAtMs: number;
  finishedAtMs?: number;
  statements?: SettlementRun["statements"];
  failure?: { step: string; error: string; cause: string };
}) {
  return {
    settlementRunId: r.settlementRunId,
    month: r.month,
    status: r.status,
    startedAt: toUtcIso(r.startedAtMs),
    ...(r.status === "completed" && r.finishedAtMs !== undefined
      ? { finishedAt: toUtcIso(r.finishedAtMs) }
      : {}),
    statements: r.statements ?? [],
    ...(r.failure ? { failure: r.failure } : {}),
  };
}
