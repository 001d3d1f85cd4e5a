import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate } from "../../../functions/core/allocation/allocate";
import { DEFAULT_POST_TRADE_CONFIG } from "../../../functions/core/config/post-trade-config";
import { Rational } from "../../../functions/core/model/rational";
import { toUtcIso } from "../../../functions/core/model/settlement-periods";
import {
  dayContextOf,
  type PostDeliveryInputs,
} from "../../../functions/core/performance/day-context";
import { dayPerformance } from "../../../functions/core/performance/performance";
import {
  type SettlementLine,
  statementTotals,
  tradeLines,
} from "../../../functions/core/settlement/lines";
import { performanceMultiplier } from "../../../functions/core/settlement/multiplier";
import { settleMonth } from "../../../functions/core/settlement/settlement-run";
import { performanceViews } from "../../../functions/core/use-cases/post-trade-views";
import { latestVersion } from "../../../functions/core/verification/day";
import { membershipOf } from "../../../functions/core/verification/membership";
import {
  TopologyChangeBodySchema,
  toTopologyChange,
} from "../../../functions/core/verification/topology-change";
import { applyTopologyChange } from "../../../functions/core/verification/verify";
import { deliveredDayArb, publishedDayArb } from "../../support/post-trade-arbitrary";
import { propertyParams } from "../../support/property";

function linesOf(inputs: PostDeliveryInputs): SettlementLine[] {
  return dayPerformance(dayContextOf(inputs)).trades.flatMap((p) =>
    tradeLines(p, {
      buyer: p.trade.trade.buyParticipantId,
      seller: p.trade.trade.sellParticipantId,
    }),
  );
}

const shared = (l: SettlementLine) => {
  const { participantId: _p, role: _r, entryId: _e, counterpartyEntryId: _c, ...rest } = l;
  return JSON.stringify(rest, (_k, v) => (v instanceof Rational ? v.toString() : v));
};

type Day = PostDeliveryInputs["day"];

/** A topology change of C1 with the entries in `order` (and the others behind C2). */
function changeTo(
  day: Day,
  order: string[],
  moved: string[],
  effectiveFromMs: number,
  id = "TC-P",
) {
  const mol = day.lookAhead.mols.get("C1")!;
  const entry = (entryId: string, i: number) => {
    const e = mol.entries.find((x) => x.entryId === entryId)!;
    return {
      entryId,
      resourceId: e.resourceId,
      capacityMw: e.capacityKw / 1000,
      curtailmentOrder: i + 1,
    };
  };
  const body = TopologyChangeBodySchema.parse({
    topologyChangeId: id,
    anmSchemeId: day.lookAhead.anmSchemeId,
    deliveryDate: day.lookAhead.deliveryDate,
    effectiveFrom: toUtcIso(effectiveFromMs),
    constraints: [
      { constraintId: "C1", entries: order.map(entry) },
      ...(moved.length > 0 ? [{ constraintId: "C2", entries: moved.map(entry) }] : []),
    ],
  });
  return toTopologyChange(body, day.lookAhead);
}

/** A change time somewhere between 10:00 and 14:00 local on the day. */
const minutesArb = fc.integer({ min: 0, max: 240 });
const at = (day: Day, minutes: number) => day.lookAhead.day.startMs + (9 * 60 + minutes) * 60_000;

describe("post-trade properties", () => {
  it("the buyer's line equals the seller's line for every trade (R-SETTLE-5)", () => {
    fc.assert(
      fc.property(deliveredDayArb, (inputs) => {
        const lines = linesOf(inputs);
        expect(lines.length).toBe(
          inputs.day.trades.filter((t) => t.status !== "vetoed").length * 2,
        );
        for (let i = 0; i < lines.length; i += 2) {
          expect([lines[i]!.role, lines[i + 1]!.role]).toEqual(["buyer", "seller"]);
          expect(shared(lines[i]!)).toBe(shared(lines[i + 1]!));
        }
      }),
      propertyParams("buyer line = seller line"),
    );
  });

  it("0 ≤ delivered ≤ expected in every valid SP (R-PERF-7/8)", () => {
    fc.assert(
      fc.property(deliveredDayArb, (inputs) => {
        for (const p of dayPerformance(dayContextOf(inputs)).trades)
          for (const q of p.periods) {
            expect(q.deliveredW.cmp(0)).toBeGreaterThanOrEqual(0);
            expect(q.deliveredW.cmp(q.expectedW)).toBeLessThanOrEqual(0);
            expect(q.expectedW.cmp(0)).toBeGreaterThanOrEqual(0);
          }
      }),
      propertyParams("0 ≤ D ≤ E"),
    );
  });

  it("PM is monotone in r and lies in [0, 1], for any scheme's grace factor, floor and mode (R-SETTLE-2)", () => {
    const configArb = fc
      .record({
        gf: fc.integer({ min: 0, max: 300 }),
        floor: fc.integer({ min: 0, max: 999 }),
        mode: fc.constantFrom("linear" as const, "step" as const),
      })
      .filter(({ gf, floor }) => floor < 1000 - gf)
      .map(({ gf, floor, mode }) => ({
        graceFactorPermille: gf,
        performanceFloorPermille: floor,
        pmMode: mode,
      }));
    const rArb = fc.integer({ min: 0, max: 100_000 }).map((n) => Rational.of(n, 100_000));
    fc.assert(
      fc.property(configArb, rArb, rArb, (config, a, b) => {
        const [lo, hi] = a.cmp(b) <= 0 ? [a, b] : [b, a];
        const pLo = performanceMultiplier(lo, config);
        const pHi = performanceMultiplier(hi, config);
        expect(pLo.cmp(pHi)).toBeLessThanOrEqual(0);
        for (const p of [pLo, pHi]) {
          expect(p.cmp(0)).toBeGreaterThanOrEqual(0);
          expect(p.cmp(1)).toBeLessThanOrEqual(0);
        }
      }),
      propertyParams("PM monotone in [0, 1]"),
    );
  });

  it("a statement's totals equal the sum of its lines, and a re-run on unchanged inputs issues no new version (R-SETTLE-5/7)", () => {
    fc.assert(
      fc.property(deliveredDayArb, (inputs) => {
        const first = settleMonth({
          month: "2027-06",
          startedAtMs: 1,
          finishedAtMs: 1,
          lines: linesOf(inputs),
          issued: [],
        });
        for (const s of first.statements) {
          const sum = (roles: string[]) =>
            s.lines.filter((l) => roles.includes(l.role)).reduce((n, l) => n + l.totalPence, 0);
          expect(s.payablePence).toBe(sum(["buyer", "compensation-payer"]));
          expect(s.receivablePence).toBe(sum(["seller", "compensation-payee"]));
          expect(s.netPence).toBe(s.receivablePence - s.payablePence);
          expect(statementTotals(s.lines).netPence).toBe(s.netPence);
        }
        const again = settleMonth({
          month: "2027-06",
          startedAtMs: 2,
          finishedAtMs: 2,
          lines: linesOf(inputs),
          issued: first.statements,
        });
        expect(again.statements).toEqual([]);
      }),
      propertyParams("statement totals and no-op re-run"),
    );
  });

  it("a topology change that moves nobody cancels nothing and publishes no version (R-VERIFY-4/5)", () => {
    fc.assert(
      fc.property(publishedDayArb, minutesArb, minutesArb, (day, eff, lag) => {
        const order = day.lookAhead.mols.get("C1")!.entries.map((e) => e.entryId);
        const change = changeTo(day, order, [], at(day, eff));
        const out = applyTopologyChange(day, change, at(day, eff + lag), DEFAULT_POST_TRADE_CONFIG);
        expect(out.outcome.cancelledTrades).toEqual([]);
        expect(out.outcome.publishedVersions).toEqual([]);
        expect(out.day.trades).toEqual(
          day.trades.map((t) => ({ ...t, constraintIds: t.constraintIds })),
        );
        expect(out.events).toEqual([]);
      }),
      propertyParams("no-op topology change"),
    );
  });

  it("after a re-publication, every untraded entry is curtailed as R-ALLOC on the MOL in force gives (R-REORDER-5)", () => {
    fc.assert(
      fc.property(
        publishedDayArb,
        fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 0, max: 3 }),
        minutesArb,
        (day, keys, moveCount, minutes) => {
          const entries = day.lookAhead.mols.get("C1")!.entries.map((e) => e.entryId);
          const shuffled = entries
            .map((e, i) => ({ e, k: keys[i % keys.length]! }))
            .sort((a, b) => a.k - b.k || (a.e < b.e ? -1 : 1))
            .map((x) => x.e);
          const moved = shuffled.slice(0, Math.min(moveCount, shuffled.length - 1));
          const kept = shuffled.slice(moved.length);
          const change = changeTo(day, kept, moved, at(day, minutes));
          const out = applyTopologyChange(day, change, at(day, minutes), DEFAULT_POST_TRADE_CONFIG);
          const membership = membershipOf(out.day.lookAhead, out.day.changes);
          const c = out.outcome.cancellationIndex ?? day.lookAhead.day.periods.length;
          const required = day.lookAhead.constraints[0]!.requiredKw;
          for (const v of out.outcome.publishedVersions) {
            for (const s of latestVersion(out.day, v.constraintId)!.segments) {
              if (s.firstIndex < c) continue;
              for (let i = s.firstIndex; i < s.endIndex; i += 1) {
                const mol = membership.at(v.constraintId, i)!.mol;
                const before = allocate(mol.entries, [required[i] ?? 0], i).curtailmentKw;
                for (const line of s.entries) {
                  if (line.tradeId !== undefined || line.entryId !== line.parentEntryId) continue;
                  const row = mol.entries.findIndex((e) => e.entryId === line.entryId);
                  expect(line.curtailmentKw[i - s.firstIndex]).toBe(before[row]![0]);
                }
              }
            }
          }
        },
      ),
      propertyParams("neutrality after re-publication"),
    );
  });

  it("results do not depend on the order inputs are listed in (receive times decide)", () => {
    fc.assert(
      fc.property(
        deliveredDayArb,
        fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
        (inputs, seeds) => {
          const shuffle = <T>(list: ReadonlyArray<T>, seed: number) =>
            list
              .map((x, i) => ({ x, k: (i * 7919 + seed) % 104_729 }))
              .sort((a, b) => a.k - b.k)
              .map((p) => p.x);
          const reordered = {
            ...inputs,
            uploads: shuffle(inputs.uploads, seeds[0]!),
            nominations: shuffle(inputs.nominations, seeds[1]!),
            actuals: shuffle(inputs.actuals, seeds[2]!),
            day: { ...inputs.day, trades: shuffle(inputs.day.trades, seeds[0]!) },
          };
          const view = (i: PostDeliveryInputs) => {
            const perf = dayPerformance(dayContextOf(i));
            return perf.trades
              .flatMap((p) => performanceViews(i.day, p))
              .sort((a, b) => (a.tradeId + a.role < b.tradeId + b.role ? -1 : 1));
          };
          expect(view(reordered)).toEqual(view(inputs));
          const key = (ls: SettlementLine[]) => ls.map(shared).sort();
          expect(key(linesOf(reordered))).toEqual(key(linesOf(inputs)));
        },
      ),
      propertyParams("input order independence"),
    );
  });
});
