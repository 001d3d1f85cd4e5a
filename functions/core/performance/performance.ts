import { meterDeadlineMs } from "../model/calendar";
import { Rational } from "../model/rational";
import { kwIntToW } from "../model/watts";
import { performanceMultiplier } from "../settlement/multiplier";
import { type DayTrade, validIndexes } from "../verification/day";
import {
  additiveAdjustment,
  type BaselineFlag,
  generationBaseline,
  midXOfYBaseline,
} from "./baseline";
import type { DayContext } from "./day-context";
import { latestNomination } from "./nominations";

/** Flags on a period or a trade's performance (R-PERF-1/4/5/6/7). */
export type PerformanceFlag =
  | BaselineFlag
  | "METER_MISSING"
  | "ANM_ACTUALS_MISSING"
  | "SLICE_NOT_IN_FORCE";

/** One valid SP of a trade (R-PERF-6..9). Powers in W, exact. */
export interface PeriodPerformance {
  index: number;
  inTest: boolean;
  /** R-PERF-7 expected E. */
  expectedW: Rational;
  /** R-PERF-8 delivered D (≤ E). */
  deliveredW: Rational;
  /** The seller's baseline (generation: B; demand: the adjusted B'), when there is one. */
  baselineW: Rational | undefined;
  /** The seller's counting reading (export for generation, import for demand). */
  meteredW: number | undefined;
  /** R-PERF-6 the seller entry's turn-down. */
  turnDownW: Rational;
  flags: PerformanceFlag[];
}

/** A trade's performance over its valid SPs (R-PERF-6..11). */
export interface TradePerformance {
  trade: DayTrade;
  validIndexes: number[];
  testIndexes: number[];
  periods: PeriodPerformance[];
  /** Σ E over valid SPs, W·SP (× ½ h = Wh). */
  expectedWsp: Rational;
  /** Σ D over valid SPs, W·SP. */
  deliveredWsp: Rational;
  /** R-PERF-9 r = ΣD / ΣE over test SPs; null without a test (ΣE = 0). */
  ratio: Rational | null;
  /** R-SETTLE-2 PM(r); 1 without a test. */
  multiplier: Rational;
  /** R-PERF-10 third-party impact attributed to the trade, W·SP. */
  thirdPartyWsp: Rational;
  baselineMethod: "nomination-capped" | "mid-x-of-y";
  /** R-PERF-5 the trade's additive adjustment (demand turn-up only). */
  adjustmentW: Rational | undefined;
  flags: PerformanceFlag[];
  /** R-PERF-11: true until the day's meter deadline has passed. */
  provisional: boolean;
}

/** R-PERF-10: an untouched entry curtailed beyond its counterfactual in one SP. */
export interface ThirdPartyImpact {
  constraintId: string;
  index: number;
  entryId: string;
  /** x = applied − CF, W (> 0). */
  extraW: number;
  /** Shares of x, pro rata to E − D of the trades short in the SP; empty = unattributed. */
  attributed: { tradeId: string; w: Rational }[];
}

export interface DayPerformance {
  trades: TradePerformance[];
  impacts: ThirdPartyImpact[];
}

/**
 * R-PERF-6..11 for every trade of a day that is not vetoed, from the inputs held: expected energy
 * E per valid SP in the market constraint's units in force (R-PERF-7), delivered D from the
 * seller entry's turn-down given to its slices in (window start, market id, curtailmentOrder)
 * order (R-PERF-8), test SPs and r (R-PERF-9), PM (R-SETTLE-2) and third-party impact
 * (R-PERF-10). Trades come out in D-15 order.
 */
export function dayPerformance(ctx: DayContext): DayPerformance {
  const { day, config } = ctx.inputs;
  const date = day.lookAhead.deliveryDate;
  const periods = day.lookAhead.day.periods;
  const trades = day.trades.filter((t) => t.status !== "vetoed");

  // R-PERF-7: E per trade and valid SP.
  const expected = new Map<string, Map<number, { w: Rational; flags: PerformanceFlag[] }>>();
  for (const t of trades) {
    const byIndex = new Map<number, { w: Rational; flags: PerformanceFlag[] }>();
    const k = t.market.constraintId;
    const sliceId = `${t.trade.sellEntryId}/${t.trade.tradeId}`;
    for (const i of validIndexes(t)) {
      const flags: PerformanceFlag[] = [];
      const r = ctx.requiredW(k, i);
      if (r.missing) flags.push("ANM_ACTUALS_MISSING");
      const units = ctx.units(k, i);
      const slice = units.find((u) => u.unitId === sliceId);
      if (!slice) {
        // D-72: no instruction was published for the slice: nothing is expected of it.
        byIndex.set(i, { w: Rational.ZERO, flags: [...flags, "SLICE_NOT_IN_FORCE"] });
        continue;
      }
      const applied = ctx.applied(k, i).byUnit;
      let ahead = 0;
      for (const u of units)
        if (u.curtailmentOrder < slice.curtailmentOrder) ahead += applied.get(u.unitId) ?? 0;
      const w = Math.min(kwIntToW(slice.forecastKw), Math.max(0, r.w - ahead));
      byIndex.set(i, { w: Rational.of(w), flags });
    }
    expected.set(t.trade.tradeId, byIndex);
  }

  // R-PERF-4/5/6: the seller's baseline and turn-down per trade and SP.
  const turnDown = new Map<
    string,
    Map<number, Omit<PeriodPerformance, "index" | "inTest" | "expectedW" | "deliveredW">>
  >();
  const adjustments = new Map<string, Rational | undefined>();
  for (const t of trades) {
    const e = t.trade.sellEntryId;
    const byIndex = new Map<
      number,
      Omit<PeriodPerformance, "index" | "inTest" | "expectedW" | "deliveredW">
    >();
    if (t.serviceType === "demand-turn-up") {
      const eventDays = ctx.inputs.eventDays.get(e) ?? new Set<string>();
      const base = (i: number) =>
        midXOfYBaseline({
          entryId: e,
          deliveryDate: date,
          index: i,
          meters: ctx.meters,
          eventDays,
          config,
        });
      const adj = additiveAdjustment({
        windowFirstIndex: t.market.firstIndex,
        baselineAt: (i) => base(i).w,
        meteredAt: (i) => ctx.meters.reading(e, date, "import", i)?.w,
        config,
      });
      adjustments.set(t.trade.tradeId, adj.adjW);
      for (const i of validIndexes(t)) {
        const b = base(i);
        const flags: PerformanceFlag[] = [...b.flags, ...adj.flags];
        const adjusted = b.w === undefined ? undefined : b.w.add(adj.adjW).clampNonNegative();
        const metered = ctx.meters.reading(e, date, "import", i)?.w;
        if (metered === undefined) flags.push("METER_MISSING");
        const td =
          adjusted === undefined || metered === undefined
            ? Rational.ZERO
            : Rational.of(metered).sub(adjusted).clampNonNegative();
        byIndex.set(i, { baselineW: adjusted, meteredW: metered, turnDownW: td, flags });
      }
    } else {
      adjustments.set(t.trade.tradeId, undefined);
      const nomination = latestNomination(ctx.inputs.nominations, e, date, ctx.inputs.asOfMs);
      for (const i of validIndexes(t)) {
        const b = generationBaseline(nomination?.nominatedW[i], ctx.availableW(e, i));
        const flags: PerformanceFlag[] = [...b.flags];
        const metered = ctx.meters.reading(e, date, "export", i)?.w;
        if (metered === undefined) flags.push("METER_MISSING");
        const td =
          b.w === undefined || metered === undefined
            ? Rational.ZERO
            : b.w.sub(metered).clampNonNegative();
        byIndex.set(i, { baselineW: b.w, meteredW: metered, turnDownW: td, flags });
      }
    }
    turnDown.set(t.trade.tradeId, byIndex);
  }

  // R-PERF-8: an entry's turn-down goes to its seller slices in force, in order; D ≤ E.
  const delivered = new Map<string, Map<number, Rational>>();
  for (const t of trades) delivered.set(t.trade.tradeId, new Map());
  const orderOf = (t: DayTrade, i: number) =>
    ctx
      .units(t.market.constraintId, i)
      .find((u) => u.unitId === `${t.trade.sellEntryId}/${t.trade.tradeId}`)?.curtailmentOrder ??
    Number.POSITIVE_INFINITY;
  for (let i = 0; i < periods.length; i += 1) {
    const bySeller = new Map<string, DayTrade[]>();
    for (const t of trades)
      if (expected.get(t.trade.tradeId)!.has(i)) {
        const list = bySeller.get(t.trade.sellEntryId) ?? [];
        list.push(t);
        bySeller.set(t.trade.sellEntryId, list);
      }
    for (const list of bySeller.values()) {
      list.sort(
        (a, b) =>
          a.market.windowStartMs - b.market.windowStartMs ||
          (a.market.marketId < b.market.marketId
            ? -1
            : a.market.marketId > b.market.marketId
              ? 1
              : 0) ||
          orderOf(a, i) - orderOf(b, i) ||
          a.trade.sequence - b.trade.sequence,
      );
      // D-73: each slice takes from its own trade's turn-down what earlier slices left.
      let given = Rational.ZERO;
      for (const t of list) {
        const left = turnDown.get(t.trade.tradeId)!.get(i)!.turnDownW.sub(given).clampNonNegative();
        const d = Rational.min(expected.get(t.trade.tradeId)!.get(i)!.w, left);
        delivered.get(t.trade.tradeId)!.set(i, d);
        given = given.add(d);
      }
    }
  }

  const impacts = thirdPartyImpacts(ctx, trades, expected, delivered);
  const attributed = new Map<string, Rational>();
  for (const x of impacts)
    for (const a of x.attributed)
      attributed.set(a.tradeId, (attributed.get(a.tradeId) ?? Rational.ZERO).add(a.w));

  const provisional = ctx.inputs.asOfMs < meterDeadlineMs(date, config.meterDataDeadlineDays);
  const result = trades.map((t): TradePerformance => {
    const id = t.trade.tradeId;
    const valid = validIndexes(t);
    const c = t.cancellation;
    const test = valid.filter(
      (i) =>
        !(
          c?.reason === "topology-change" &&
          c.effectiveFromMs !== undefined &&
          periods[i]!.startMs >= c.effectiveFromMs
        ),
    );
    const testSet = new Set(test);
    const rows = valid.map((i): PeriodPerformance => {
      const e = expected.get(id)!.get(i)!;
      const td = turnDown.get(id)!.get(i)!;
      return {
        index: i,
        inTest: testSet.has(i),
        expectedW: e.w,
        deliveredW: delivered.get(id)!.get(i)!,
        baselineW: td.baselineW,
        meteredW: td.meteredW,
        turnDownW: td.turnDownW,
        flags: [...new Set([...e.flags, ...td.flags])].sort(),
      };
    });
    const sum = (list: PeriodPerformance[], f: (p: PeriodPerformance) => Rational) =>
      Rational.sum(list.map(f));
    const tested = rows.filter((p) => p.inTest);
    const testE = sum(tested, (p) => p.expectedW);
    const ratio = testE.isZero() ? null : sum(tested, (p) => p.deliveredW).div(testE);
    return {
      trade: t,
      validIndexes: valid,
      testIndexes: test,
      periods: rows,
      expectedWsp: sum(rows, (p) => p.expectedW),
      deliveredWsp: sum(rows, (p) => p.deliveredW),
      ratio,
      multiplier: performanceMultiplier(ratio, config),
      thirdPartyWsp: attributed.get(id) ?? Rational.ZERO,
      baselineMethod: t.serviceType === "demand-turn-up" ? "mid-x-of-y" : "nomination-capped",
      adjustmentW: adjustments.get(id),
      flags: [...new Set(rows.flatMap((p) => p.flags))].sort(),
      provisional,
    };
  });
  return { trades: result, impacts };
}

/**
 * R-PERF-10, only where the ANM gave applied values for the constraint: an untouched entry's
 * x = max(0, applied − CF) goes to the constraint's trades short in that SP pro rata to E − D;
 * with none short it is unattributed (untouched entries and shares as decision D-74). In
 * (constraint, SP, MOL order) order.
 */
function thirdPartyImpacts(
  ctx: DayContext,
  trades: ReadonlyArray<DayTrade>,
  expected: ReadonlyMap<string, ReadonlyMap<number, { w: Rational }>>,
  delivered: ReadonlyMap<string, ReadonlyMap<number, Rational>>,
): ThirdPartyImpact[] {
  const out: ThirdPartyImpact[] = [];
  const n = ctx.inputs.day.lookAhead.day.periods.length;
  for (const k of ctx.membership.constraintIds) {
    for (let i = 0; i < n; i += 1) {
      const applied = ctx.applied(k, i);
      if (!applied.given) continue;
      const cf = ctx.counterfactualW(k, i);
      const short = trades
        .filter((t) => t.market.constraintId === k && expected.get(t.trade.tradeId)!.has(i))
        .map((t) => ({
          tradeId: t.trade.tradeId,
          gap: expected
            .get(t.trade.tradeId)!
            .get(i)!
            .w.sub(delivered.get(t.trade.tradeId)!.get(i)!),
        }))
        .filter((s) => s.gap.cmp(0) > 0);
      const totalGap = Rational.sum(short.map((s) => s.gap));
      for (const u of ctx.units(k, i)) {
        if (u.tradeId !== undefined || u.unitId !== u.parentEntryId) continue;
        const x = (applied.byUnit.get(u.unitId) ?? 0) - (cf.get(u.unitId) ?? 0);
        if (x <= 0) continue;
        out.push({
          constraintId: k,
          index: i,
          entryId: u.unitId,
          extraW: x,
          attributed: short.map((s) => ({ tradeId: s.tradeId, w: s.gap.mul(x).div(totalGap) })),
        });
      }
    }
  }
  return out;
}
