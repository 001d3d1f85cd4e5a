import type { PostTradeConfig } from "../config/post-trade-config";
import { Rational } from "../model/rational";
import type {
  DayPerformance,
  ThirdPartyImpact,
  TradePerformance,
} from "../performance/performance";

export type LineRole = "buyer" | "seller" | "compensation-payer" | "compensation-payee";

/**
 * One statement line (R-SETTLE-1..6), exact where the rules keep it exact and rounded half-up to
 * the penny only for the two amounts R-SETTLE-5 names.
 */
export interface SettlementLine {
  participantId: string;
  role: LineRole;
  tradeId: string;
  deliveryDate: string;
  marketId: string;
  constraintId: string;
  entryId: string;
  counterpartyEntryId: string;
  status: "confirmed" | "cancelled";
  quantityKw: number;
  /** £/MW/h, pence. */
  availabilityPricePence: number;
  /** £/MWh, pence. */
  utilisationPricePence: number;
  /** H = ½ h × valid SPs. */
  validHours: Rational;
  expectedMwh: Rational;
  deliveredMwh: Rational;
  performanceRatio: Rational | null;
  /** Null on compensation lines. */
  performanceMultiplier: Rational | null;
  availabilityPence: number;
  utilisationPence: number;
  totalPence: number;
  thirdPartyImpactMwh: Rational;
  flags: string[];
}

/** W·SP → MWh (× ½ h / 10⁶). */
function mwh(wsp: Rational): Rational {
  return wsp.div(2_000_000);
}

/** The columns of a line that come from the trade itself (R-SETTLE-8). */
function tradeColumns(p: TradePerformance) {
  const t = p.trade;
  return {
    tradeId: t.trade.tradeId,
    deliveryDate: t.market.deliveryDate,
    marketId: t.market.marketId,
    constraintId: t.market.constraintId,
    status: t.status === "cancelled" ? ("cancelled" as const) : ("confirmed" as const),
    quantityKw: t.trade.quantityKw,
    availabilityPricePence: t.trade.availabilityPence,
    utilisationPricePence: t.trade.utilisationPence,
    validHours: Rational.of(p.validIndexes.length, 2),
  };
}

/**
 * R-SETTLE-1..5: the buyer's and the seller's line of a trade (equal amounts). Availability =
 * a × Q × H × PM and utilisation = u × ΣD (MWh) are each exact, then rounded half-up to the penny;
 * the total is their sum (R-SETTLE-5). A constraint that did not happen gives availability in
 * full and utilisation 0; a cancelled trade is paid for its valid hours and their energy
 * (R-SETTLE-4). Vetoed trades have no performance and so no line.
 */
export function tradeLines(
  p: TradePerformance,
  parties: { buyer: string; seller: string },
): SettlementLine[] {
  const t = p.trade;
  const validHours = Rational.of(p.validIndexes.length, 2);
  const availability = Rational.of(t.trade.availabilityPence)
    .mul(t.trade.quantityKw)
    .div(1000)
    .mul(validHours)
    .mul(p.multiplier)
    .roundHalfUp(0);
  const utilisation = Rational.of(t.trade.utilisationPence).mul(mwh(p.deliveredWsp)).roundHalfUp(0);
  const base = {
    ...tradeColumns(p),
    expectedMwh: mwh(p.expectedWsp),
    deliveredMwh: mwh(p.deliveredWsp),
    performanceRatio: p.ratio,
    performanceMultiplier: p.multiplier,
    availabilityPence: Number(availability),
    utilisationPence: Number(utilisation),
    totalPence: Number(availability + utilisation),
    thirdPartyImpactMwh: mwh(p.thirdPartyWsp),
    flags: p.flags,
  };
  return [
    {
      ...base,
      participantId: parties.buyer,
      role: "buyer",
      entryId: t.trade.buyEntryId,
      counterpartyEntryId: t.trade.sellEntryId,
    },
    {
      ...base,
      participantId: parties.seller,
      role: "seller",
      entryId: t.trade.sellEntryId,
      counterpartyEntryId: t.trade.buyEntryId,
    },
  ];
}

/**
 * R-SETTLE-6 (§19) with `shortfallCompensation`: for each harmed entry with an owner, the seller
 * pays u × the MWh attributed to the trade (rounded half-up), in a `compensation-payer` line, and
 * the owner receives it in a `compensation-payee` line (columns: D-81). Entries without an owner
 * get no line.
 */
export function compensationLines(
  p: TradePerformance,
  impacts: ReadonlyArray<ThirdPartyImpact>,
  owners: ReadonlyMap<string, string>,
  config: Pick<PostTradeConfig, "shortfallCompensation">,
): SettlementLine[] {
  if (!config.shortfallCompensation) return [];
  const t = p.trade;
  const harmed = new Map<string, Rational>();
  for (const x of impacts)
    for (const a of x.attributed)
      if (a.tradeId === t.trade.tradeId)
        harmed.set(x.entryId, (harmed.get(x.entryId) ?? Rational.ZERO).add(a.w));
  const out: SettlementLine[] = [];
  for (const [entryId, wsp] of [...harmed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const owner = owners.get(entryId);
    if (!owner) continue;
    const amount = Number(Rational.of(t.trade.utilisationPence).mul(mwh(wsp)).roundHalfUp(0));
    const base = {
      ...tradeColumns(p),
      expectedMwh: Rational.ZERO,
      deliveredMwh: Rational.ZERO,
      performanceRatio: null,
      performanceMultiplier: null,
      availabilityPence: 0,
      utilisationPence: amount,
      totalPence: amount,
      thirdPartyImpactMwh: mwh(wsp),
      flags: [],
    };
    out.push(
      {
        ...base,
        participantId: t.trade.sellParticipantId,
        role: "compensation-payer",
        entryId: t.trade.sellEntryId,
        counterpartyEntryId: entryId,
      },
      {
        ...base,
        participantId: owner,
        role: "compensation-payee",
        entryId,
        counterpartyEntryId: t.trade.sellEntryId,
      },
    );
  }
  return out;
}

/** R-SETTLE-5: payable = Σ buyer (and compensation-payer) lines, receivable = Σ the others. */
export function statementTotals(
  lines: ReadonlyArray<Pick<SettlementLine, "role" | "totalPence">>,
): {
  payablePence: number;
  receivablePence: number;
  netPence: number;
} {
  let payablePence = 0;
  let receivablePence = 0;
  for (const l of lines)
    if (l.role === "buyer" || l.role === "compensation-payer") payablePence += l.totalPence;
    else receivablePence += l.totalPence;
  return { payablePence, receivablePence, netPence: receivablePence - payablePence };
}

/**
 * R-SETTLE-1/6: every line of a day — the buyer's and the seller's of each settled trade (vetoed
 * trades have none), and the compensation lines when the scheme asks for them — in trade order.
 */
export function dayLines(
  performance: DayPerformance,
  owners: ReadonlyMap<string, string>,
  config: Pick<PostTradeConfig, "shortfallCompensation">,
): SettlementLine[] {
  return performance.trades.flatMap((p) => [
    ...tradeLines(p, {
      buyer: p.trade.trade.buyParticipantId,
      seller: p.trade.trade.sellParticipantId,
    }),
    ...compensationLines(p, performance.impacts, owners, config),
  ]);
}
