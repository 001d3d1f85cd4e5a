import type { DayCurtailment, EntryCurtailment } from "../core/curtailment-index/ledger";
import { Rational } from "../core/model/rational";
import type { ActualsRecord } from "../core/performance/actuals";
import type { LineRole, SettlementLine } from "../core/settlement/lines";

/**
 * How post-trade records are written into items: exact rationals as `"n/d"` text (never a
 * float), settlement lines as compact arrays (a month of lines is many items), actuals with
 * their per-unit maps as pairs. Reading gives back exactly what was written.
 */

export function rationalText(r: Rational): string {
  return `${r.n}/${r.d}`;
}

export function rationalOf(text: string): Rational {
  const [n, d] = text.split("/");
  return Rational.of(BigInt(n!), BigInt(d ?? "1"));
}

/** A settlement line as a compact array (the order of {@link lineOf}). */
export type LineCells = (string | number | null | string[])[];

export function lineCells(l: SettlementLine): LineCells {
  return [
    l.participantId,
    l.role,
    l.tradeId,
    l.deliveryDate,
    l.marketId,
    l.constraintId,
    l.entryId,
    l.counterpartyEntryId,
    l.status,
    l.quantityKw,
    l.availabilityPricePence,
    l.utilisationPricePence,
    rationalText(l.validHours),
    rationalText(l.expectedMwh),
    rationalText(l.deliveredMwh),
    l.performanceRatio === null ? null : rationalText(l.performanceRatio),
    l.performanceMultiplier === null ? null : rationalText(l.performanceMultiplier),
    l.availabilityPence,
    l.utilisationPence,
    l.totalPence,
    rationalText(l.thirdPartyImpactMwh),
    l.flags,
  ];
}

export function lineOf(c: LineCells): SettlementLine {
  const text = (i: number) => c[i] as string;
  const num = (i: number) => c[i] as number;
  const rational = (i: number) => rationalOf(text(i));
  return {
    participantId: text(0),
    role: text(1) as LineRole,
    tradeId: text(2),
    deliveryDate: text(3),
    marketId: text(4),
    constraintId: text(5),
    entryId: text(6),
    counterpartyEntryId: text(7),
    status: text(8) as SettlementLine["status"],
    quantityKw: num(9),
    availabilityPricePence: num(10),
    utilisationPricePence: num(11),
    validHours: rational(12),
    expectedMwh: rational(13),
    deliveredMwh: rational(14),
    performanceRatio: c[15] === null ? null : rational(15),
    performanceMultiplier: c[16] === null ? null : rational(16),
    availabilityPence: num(17),
    utilisationPence: num(18),
    totalPence: num(19),
    thirdPartyImpactMwh: rational(20),
    flags: [...(c[21] as string[])],
  };
}

/** An actuals record's parts, each small enough for one item (≈ 300 KB of values). */
export interface ActualsPart {
  constraints: {
    constraintId: string;
    requiredW: number[];
    appliedW: [string, number[]][] | null;
  }[];
  available: { entryId: string; availableW: number[] }[];
}

const PART_VALUES = 30_000;

export function actualsParts(record: ActualsRecord): ActualsPart[] {
  const parts: ActualsPart[] = [{ constraints: [], available: [] }];
  let values = 0;
  const room = (n: number) => {
    if (values > 0 && values + n > PART_VALUES) {
      parts.push({ constraints: [], available: [] });
      values = 0;
    }
    values += n;
    return parts[parts.length - 1]!;
  };
  for (const c of record.constraints) {
    const applied = c.appliedW ? [...c.appliedW] : null;
    const n = c.requiredW.length + (applied ?? []).reduce((k, [, v]) => k + v.length, 0);
    room(n).constraints.push({
      constraintId: c.constraintId,
      requiredW: c.requiredW,
      appliedW: applied,
    });
  }
  for (const a of record.available) room(a.availableW.length).available.push(a);
  return parts;
}

export function actualsOf(
  head: { actualsId: string; receivedAtMs: number; bodyHash: string },
  parts: ReadonlyArray<ActualsPart>,
): ActualsRecord {
  return {
    actualsId: head.actualsId,
    receivedAtMs: head.receivedAtMs,
    bodyHash: head.bodyHash,
    constraints: parts.flatMap((p) =>
      p.constraints.map((c) => ({
        constraintId: c.constraintId,
        requiredW: c.requiredW,
        appliedW: c.appliedW === null ? undefined : new Map(c.appliedW),
      })),
    ),
    available: parts.flatMap((p) => p.available),
  };
}

const MEASURES = ["networkWsp", "tradedWsp", "avoidedWsp", "physicalWsp", "thirdPartyWsp"] as const;

/** A day's Curtailment Index contribution as an item attribute: entry → five `"n/d"` texts. */
export function curtailmentEntries(day: DayCurtailment): Record<string, string[]> {
  return Object.fromEntries(
    [...day.entries].map(([e, c]) => [e, MEASURES.map((m) => rationalText(c[m]))]),
  );
}

export function curtailmentOf(
  head: { anmSchemeId: string; deliveryDate: string; estimated: boolean },
  entries: Record<string, string[]>,
): DayCurtailment {
  return {
    ...head,
    entries: new Map(
      Object.entries(entries).map(([e, values]) => [
        e,
        Object.fromEntries(
          MEASURES.map((m, i) => [m, rationalOf(values[i]!)]),
        ) as unknown as EntryCurtailment,
      ]),
    ),
  };
}
