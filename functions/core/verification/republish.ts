import { NeutralityViolationError } from "../errors";
import type { Trade } from "../matching/match";
import { type MeritOrderSegment, reorderWindow } from "../merit-order/reorder";
import { SP_MS } from "../model/settlement-periods";
import {
  compareTrades,
  type DayTrade,
  inForceAt,
  latestVersion,
  type MeritOrderVersion,
  type PostTradeDay,
} from "./day";
import type { Membership } from "./membership";

/** The segments each constraint would have from an SP on, and the trades R-REORDER-5 refused. */
export interface Republication {
  /** Constraint id → the new segments from `fromIndex` (none where nothing is traded). */
  fromSegments: Map<string, MeritOrderSegment[]>;
  /** Trades of a re-ordering that failed R-REORDER-5 (R-VERIFY-5 §19: all of them go). */
  refused: Set<string>;
}

/**
 * R-VERIFY-5: re-orders every constraint from SP `fromIndex` (0-based) on the MOL in force after
 * the changes held (R-VERIFY-1 membership, per SP), with the trades in force in each SP whose two
 * entries that MOL holds and which apply to the constraint, the look-ahead's required curtailment
 * (a created constraint's own CLA, else 0) and unchanged slice ids. Runs R-REORDER over each run
 * of consecutive SPs with the same MOL and the same trades. When R-REORDER-5 fails in a
 * constraint, every trade of its re-ordering is refused and the whole day is re-ordered again
 * without them (they may apply elsewhere too), until no re-ordering fails.
 */
export function republishFrom(
  day: PostTradeDay,
  membership: Membership,
  fromIndex: number,
  excluded: ReadonlySet<string> = new Set(),
): Republication {
  const refused = new Set<string>();
  // Each constraint's candidate trades, once: those that apply to it (in day order).
  const applying = new Map<string, DayTrade[]>();
  for (const t of day.trades)
    for (const k of new Set(t.constraintIds)) {
      const list = applying.get(k) ?? [];
      list.push(t);
      applying.set(k, list);
    }
  for (;;) {
    const fromSegments = new Map<string, MeritOrderSegment[]>();
    let failed = false;
    for (const constraintId of membership.constraintIds) {
      const out = reorderConstraint(
        day,
        applying.get(constraintId) ?? [],
        membership,
        constraintId,
        fromIndex,
        (t) => excluded.has(t.trade.tradeId) || refused.has(t.trade.tradeId),
      );
      if (out.refused.length > 0) {
        failed = true;
        for (const id of out.refused) refused.add(id);
      } else fromSegments.set(constraintId, out.segments);
    }
    if (!failed) return { fromSegments, refused };
  }
}

function reorderConstraint(
  day: PostTradeDay,
  /** The day's trades that apply to the constraint (`constraintIds`), in day order. */
  candidates: ReadonlyArray<DayTrade>,
  membership: Membership,
  constraintId: string,
  fromIndex: number,
  skip: (t: DayTrade) => boolean,
): { segments: MeritOrderSegment[]; refused: string[] } {
  const periods = day.lookAhead.day.periods;
  const required = membership.requiredKw(constraintId);
  const runs: { from: number; to: number; key: string; trades: DayTrade[] }[] = [];
  for (let i = fromIndex; i < periods.length; i += 1) {
    const inForce = membership.at(constraintId, i);
    const trades = inForce
      ? candidates
          .filter(
            (t) =>
              !skip(t) &&
              inForceAt(t, i) &&
              membership.holds(constraintId, i, t.trade.buyEntryId) &&
              membership.holds(constraintId, i, t.trade.sellEntryId),
          )
          .sort(compareTrades)
      : [];
    const key = `${inForce?.source ?? ""}\u0000${trades.map((t) => t.trade.tradeId).join("\u0000")}`;
    const last = runs.at(-1);
    if (last && last.key === key && last.to === i) last.to = i + 1;
    else runs.push({ from: i, to: i + 1, key, trades });
  }
  const segments: MeritOrderSegment[] = [];
  for (const run of runs) {
    if (run.trades.length === 0) continue;
    const mol = membership.at(constraintId, run.from)!.mol;
    const requiredKw = Array.from(
      { length: run.to - run.from },
      (_, k) => required?.[run.from + k] ?? 0,
    );
    try {
      const entries = reorderWindow(
        mol,
        requiredKw,
        run.from,
        run.to,
        run.trades.map((t): Trade => t.trade),
      );
      const own = run.trades.find((t) => t.market.constraintId === constraintId) ?? run.trades[0]!;
      segments.push({
        marketId: own.market.marketId,
        marketIds: [...new Set(run.trades.map((t) => t.market.marketId))],
        validFromMs: periods[run.from]!.startMs,
        validToMs: periods[run.to - 1]!.endMs,
        firstIndex: run.from,
        endIndex: run.to,
        entries,
      });
    } catch (error) {
      if (!(error instanceof NeutralityViolationError)) throw error;
      return {
        segments: [],
        refused: [...new Set(runs.flatMap((r) => r.trades.map((t) => t.trade.tradeId)))],
      };
    }
  }
  return { segments, refused: [] };
}

/** Segments cut at SP `index`: what applied before it stays, exactly as published (R-VERIFY-5). */
export function segmentsBefore(
  segments: ReadonlyArray<MeritOrderSegment>,
  index: number,
  dayStartMs: number,
): MeritOrderSegment[] {
  const out: MeritOrderSegment[] = [];
  for (const s of segments) {
    if (s.firstIndex >= index) continue;
    if (s.endIndex <= index) {
      out.push(s);
      continue;
    }
    const width = index - s.firstIndex;
    out.push({
      ...s,
      endIndex: index,
      validToMs: dayStartMs + index * SP_MS,
      entries: s.entries.map((l) => ({
        ...l,
        forecastKw: l.forecastKw.slice(0, width),
        curtailmentKw: l.curtailmentKw.slice(0, width),
      })),
    });
  }
  return out;
}

/**
 * What a set of segments instructs in SP `index`, as a comparable text ("" where none): each
 * unit's id, capacity, forecast and curtailment in MOL order. A unit with capacity 0 and no
 * forecast in the SP carries nothing and is left out, so that D-5 (which keeps or drops such a
 * remainder depending on the window re-ordered) does not count as a change (D-83).
 */
function instructionAt(segments: ReadonlyArray<MeritOrderSegment>, index: number): string {
  const s = segments.find((g) => g.firstIndex <= index && index < g.endIndex);
  if (!s) return "";
  const k = index - s.firstIndex;
  return JSON.stringify(
    [...s.entries]
      .sort((a, b) => a.curtailmentOrder - b.curtailmentOrder)
      .filter((l) => l.capacityKw > 0 || (l.forecastKw[k] ?? 0) > 0)
      .map((l) => [l.entryId, l.capacityKw, l.forecastKw[k] ?? null, l.curtailmentKw[k] ?? null]),
  );
}

/** True when two sets of segments instruct the same in every SP of the day (R-VERIFY-5). */
export function sameInstructions(
  a: ReadonlyArray<MeritOrderSegment>,
  b: ReadonlyArray<MeritOrderSegment>,
  periodCount: number,
): boolean {
  for (let i = 0; i < periodCount; i += 1)
    if (instructionAt(a, i) !== instructionAt(b, i)) return false;
  return true;
}

/**
 * The versions a republication publishes: per constraint, the latest version's segments before
 * `fromIndex` followed by the new ones from it; a constraint whose instructions do not change
 * gets no version ("no segment change, no version").
 */
export function versionsOf(
  day: PostTradeDay,
  membership: Membership,
  republication: Republication,
  fromIndex: number,
  meta: Pick<MeritOrderVersion, "reason" | "publishedAtMs" | "topologyChangeId">,
  cancelledTradeIds: (constraintId: string) => string[],
): MeritOrderVersion[] {
  const { startMs } = day.lookAhead.day;
  const n = day.lookAhead.day.periods.length;
  const out: MeritOrderVersion[] = [];
  for (const constraintId of membership.constraintIds) {
    const previous = latestVersion(day, constraintId);
    const before = segmentsBefore(previous?.segments ?? [], fromIndex, startMs);
    const segments = [...before, ...(republication.fromSegments.get(constraintId) ?? [])];
    if (sameInstructions(previous?.segments ?? [], segments, n)) continue;
    const version: MeritOrderVersion = {
      constraintId,
      version: (previous?.version ?? 0) + 1,
      reason: meta.reason,
      supersedesVersion: previous?.version ?? null,
      cancelledTradeIds: cancelledTradeIds(constraintId),
      segments,
      publishedAtMs: meta.publishedAtMs,
    };
    if (meta.topologyChangeId) version.topologyChangeId = meta.topologyChangeId;
    out.push(version);
  }
  return out;
}
