import { financialYearBounds, financialYearOf } from "../model/calendar";
import { Rational } from "../model/rational";
import type { DayContext } from "../performance/day-context";
import type { DayPerformance } from "../performance/performance";
import { inForceAt } from "../verification/day";

/** An entry's curtailment over one delivery day, W·SP per measure (R-CI-2). */
export interface EntryCurtailment {
  networkWsp: Rational;
  tradedWsp: Rational;
  avoidedWsp: Rational;
  physicalWsp: Rational;
  thirdPartyWsp: Rational;
}

/** One delivery day's contribution to the ledger (R-CI-2/3). */
export interface DayCurtailment {
  anmSchemeId: string;
  deliveryDate: string;
  /** R-CI-3: no ANM actuals for the day; its values are modelled. */
  estimated: boolean;
  entries: Map<string, EntryCurtailment>;
}

/**
 * R-CI-2 (§19) for one day with a look-ahead, per SP taking per measure the maximum over the
 * constraints that hold the entry: network = CF (R-PERF-10, membership of R-VERIFY-1), counted in
 * the index; physical = Σ applied over its units in force; traded = Σ applied over its seller
 * slices (excluded from the index); avoided = max(0, network − (physical − traded)) in SPs where
 * it is a buyer (informational); third-party = Σ x (R-PERF-10). Applied values are the ANM's
 * where given, else modelled from the published MOL (R-CI-3). Which entries and SPs count: D-75.
 */
export function dayCurtailment(ctx: DayContext, performance: DayPerformance): DayCurtailment {
  const { day } = ctx.inputs;
  const n = day.lookAhead.day.periods.length;
  const sellerOf = new Map(day.trades.map((t) => [t.trade.tradeId, t.trade.sellEntryId]));
  const entries = new Map<string, EntryCurtailment>();
  const row = (e: string) => {
    let r = entries.get(e);
    if (!r) {
      r = {
        networkWsp: Rational.ZERO,
        tradedWsp: Rational.ZERO,
        avoidedWsp: Rational.ZERO,
        physicalWsp: Rational.ZERO,
        thirdPartyWsp: Rational.ZERO,
      };
      entries.set(e, r);
    }
    return r;
  };
  for (let i = 0; i < n; i += 1) {
    const network = new Map<string, number>();
    const physical = new Map<string, number>();
    const traded = new Map<string, number>();
    const max = (m: Map<string, number>, e: string, v: number) =>
      m.set(e, Math.max(m.get(e) ?? 0, v));
    for (const k of ctx.membership.constraintIds) {
      const mol = ctx.membership.at(k, i)?.mol;
      const cf = ctx.counterfactualW(k, i);
      for (const e of mol?.entries ?? []) max(network, e.entryId, cf.get(e.entryId) ?? 0);
      const applied = ctx.applied(k, i).byUnit;
      const own = new Map<string, { physical: number; traded: number }>();
      for (const u of ctx.units(k, i)) {
        const a = applied.get(u.unitId) ?? 0;
        const o = own.get(u.parentEntryId) ?? { physical: 0, traded: 0 };
        o.physical += a;
        if (u.tradeId !== undefined && sellerOf.get(u.tradeId) === u.parentEntryId) o.traded += a;
        own.set(u.parentEntryId, o);
      }
      for (const [e, o] of own) {
        max(physical, e, o.physical);
        max(traded, e, o.traded);
      }
    }
    const buyers = new Set(
      day.trades.filter((t) => inForceAt(t, i)).map((t) => t.trade.buyEntryId),
    );
    for (const e of new Set([...network.keys(), ...physical.keys()])) {
      const r = row(e);
      const nw = network.get(e) ?? 0;
      const ph = physical.get(e) ?? 0;
      const tr = traded.get(e) ?? 0;
      r.networkWsp = r.networkWsp.add(nw);
      r.physicalWsp = r.physicalWsp.add(ph);
      r.tradedWsp = r.tradedWsp.add(tr);
      if (buyers.has(e)) r.avoidedWsp = r.avoidedWsp.add(Math.max(0, nw - (ph - tr)));
    }
  }
  for (const x of performance.impacts) {
    const r = row(x.entryId);
    r.thirdPartyWsp = r.thirdPartyWsp.add(x.extraW);
  }
  return {
    anmSchemeId: day.lookAhead.anmSchemeId,
    deliveryDate: day.lookAhead.deliveryDate,
    estimated: !ctx.actuals.any,
    entries,
  };
}

/** One ledger row (R-CI-1): an entry's financial year, MWh exact. */
export interface LedgerRow {
  entryId: string;
  anmSchemeId: string;
  financialYear: string;
  from: string;
  to: string;
  networkMwh: Rational;
  tradedMwh: Rational;
  avoidedMwh: Rational;
  physicalMwh: Rational;
  thirdPartyMwh: Rational;
  days: number;
  estimatedDays: number;
}

/**
 * R-CI-1/3: one row per entry and financial year (1 April – 31 March, named `2027-28`), summing
 * its days; a day without ANM actuals also counts in `estimatedDays`. Rows are derived, so they
 * are recomputed from the days whenever an input changes. Sorted by scheme, year, entry.
 */
export function curtailmentIndexRows(days: ReadonlyArray<DayCurtailment>): LedgerRow[] {
  const rows = new Map<string, LedgerRow>();
  for (const d of days) {
    const financialYear = financialYearOf(d.deliveryDate);
    const { from, to } = financialYearBounds(financialYear)!;
    for (const [entryId, c] of d.entries) {
      const key = `${d.anmSchemeId}\u0000${financialYear}\u0000${entryId}`;
      const r = rows.get(key) ?? {
        entryId,
        anmSchemeId: d.anmSchemeId,
        financialYear,
        from,
        to,
        networkMwh: Rational.ZERO,
        tradedMwh: Rational.ZERO,
        avoidedMwh: Rational.ZERO,
        physicalMwh: Rational.ZERO,
        thirdPartyMwh: Rational.ZERO,
        days: 0,
        estimatedDays: 0,
      };
      const mwh = (wsp: Rational) => wsp.div(2_000_000);
      r.networkMwh = r.networkMwh.add(mwh(c.networkWsp));
      r.tradedMwh = r.tradedMwh.add(mwh(c.tradedWsp));
      r.avoidedMwh = r.avoidedMwh.add(mwh(c.avoidedWsp));
      r.physicalMwh = r.physicalMwh.add(mwh(c.physicalWsp));
      r.thirdPartyMwh = r.thirdPartyMwh.add(mwh(c.thirdPartyWsp));
      r.days += 1;
      if (d.estimated) r.estimatedDays += 1;
      rows.set(key, r);
    }
  }
  return [...rows.values()].sort(
    (a, b) =>
      (a.anmSchemeId < b.anmSchemeId ? -1 : a.anmSchemeId > b.anmSchemeId ? 1 : 0) ||
      (a.financialYear < b.financialYear ? -1 : a.financialYear > b.financialYear ? 1 : 0) ||
      (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0),
  );
}
