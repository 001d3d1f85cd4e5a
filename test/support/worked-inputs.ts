import type { Rational } from "../../functions/core/model/rational";
import { dayContextOf } from "../../functions/core/performance/day-context";
import type { MeterUpload } from "../../functions/core/performance/meter-readings";
import { acceptNomination, type Nomination } from "../../functions/core/performance/nominations";
import { dayPerformance } from "../../functions/core/performance/performance";
import { actualsOf, inputsOf, meterUpload, perSp } from "./post-trade-day";
import { CONFIG, ms, workedDay } from "./worked-day";

export const DATE = "2027-06-14";
export const AFTER = ms("2027-06-15T09:00:00+01:00");
const WINDOW = { 25: 0, 26: 0, 27: 0, 28: 0 };

export type Day = ReturnType<typeof workedDay>["day"];

export function nominations(day: Day, mw: Record<string, number>): Nomination[] {
  const held: Nomination[] = [];
  for (const [entryId, v] of Object.entries(mw))
    held.push(
      acceptNomination(
        {
          anmSchemeId: day.lookAhead.anmSchemeId,
          entryId,
          deliveryDate: DATE,
          nominatedMw: perSp(DATE, v),
        },
        day.lookAhead,
        held,
        ms("2027-06-13T10:30:00+01:00"),
        CONFIG,
      ),
    );
  return held;
}

/**
 * The worked example's post-delivery inputs (variant A: actuals as forecast, both sellers deliver)
 * with the changes a test names, and the resulting performance of T1 and T2.
 */
export function worked(
  options: {
    day?: Day;
    g5Kw?: Record<number, number>;
    g1Kw?: Record<number, number>;
    required?: Record<number, number>;
    applied?: { unitId: string; curtailmentMw: number[] }[];
    available?: Record<string, Record<number, number>>;
    uploads?: MeterUpload[];
    noActuals?: boolean;
    asOfMs?: number;
  } = {},
) {
  const day = options.day ?? workedDay().day;
  const [t1, t2] = day.trades.map((t) => t.trade.tradeId);
  const available = {
    "G5-A": 3,
    "G1-A": 8,
    "G2-A": 6,
    "G3-A": 3.5,
    "G3-B": 1.5,
    "G4-A": 4.5,
  } as Record<string, number>;
  const actuals = options.noActuals
    ? []
    : [
        actualsOf(day, {
          actualsId: "ACT-1",
          constraints: [
            {
              constraintId: "C1",
              requiredCurtailmentMw: perSp(
                DATE,
                0,
                options.required ?? { 25: 4, 26: 7, 27: 7, 28: 4 },
              ),
              ...(options.applied ? { appliedCurtailment: options.applied } : {}),
            },
          ],
          availablePower: Object.entries(available).map(([entryId, v]) => ({
            entryId,
            availableMw: perSp(DATE, v, options.available?.[entryId] ?? {}),
          })),
        }),
      ];
  const uploads = options.uploads ?? [
    meterUpload({
      entryId: "G5-A",
      date: DATE,
      direction: "export",
      kw: perSp(DATE, 3000, options.g5Kw ?? WINDOW),
      receivedAtMs: AFTER,
    }),
    meterUpload({
      entryId: "G1-A",
      date: DATE,
      direction: "export",
      kw: perSp(DATE, 8000, options.g1Kw ?? { 25: 7000, 26: 6500, 27: 6500, 28: 7000 }),
      receivedAtMs: AFTER,
    }),
  ];
  const inputs = inputsOf(day, {
    actuals,
    uploads,
    nominations: nominations(day, { "G5-A": 3, "G1-A": 8 }),
    ...(options.asOfMs ? { asOfMs: options.asOfMs } : {}),
  });
  const ctx = dayContextOf(inputs);
  const perf = dayPerformance(ctx);
  const of = (id: string) => perf.trades.find((p) => p.trade.trade.tradeId === id)!;
  return { day, ctx, perf, t1: of(t1!), t2: of(t2!), ids: [t1!, t2!] };
}

export const mw = (w: Rational) => Number(w.div(1_000_000).toFixed(3));
export const mwh = (wsp: Rational) => Number(wsp.div(2_000_000).toFixed(6));
