import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { matchMarketColumns } from "../functions/core/matching/match";
import { compareBids, compareOffers } from "../functions/core/matching/rank";
import type { MarketTrades } from "../functions/core/matching/trades";
import { type ReorderedWindow, reorderWindowColumns } from "../functions/core/merit-order/reorder";
import type { Mol } from "../functions/core/model/look-ahead";
import type { Order } from "../functions/core/orders/order";
import { intBetween, median, seededRandom } from "./random";

/** One row of the `matching` section. */
export interface MatchingRow {
  orders: number;
  markets: number;
  engineMs: number;
  sortMs: number;
  ratio: number;
  /** The records the engine's columns become where they are stored: every trade (with its id) and MOL line. */
  outputMs: number;
  outputRatio: number;
  trades: number;
}

const SPS = 4;

interface Book {
  marketId: string;
  orders: Order[];
  mol: Mol;
  requiredKw: number[];
}

/**
 * A market with `n` orders from `participants` participants: bids from entries curtailed first,
 * offers from entries behind them, prices drawn so that about half the book can trade.
 */
function book(marketId: string, n: number, random: () => number, participants: number): Book {
  const orders: Order[] = [];
  const entries: Mol["entries"] = [];
  const buyers: Mol["entries"] = [];
  const sellers: Mol["entries"] = [];
  for (let i = 0; i < n; i += 1) {
    const side = i % 2 === 0 ? "buy" : "sell";
    const quantityKw = intBetween(random, 100, 5000);
    const entryId = `${marketId}-${side === "buy" ? "B" : "S"}${i}`;
    const base = side === "buy" ? 2000 : 1500;
    orders.push({
      orderId: `${marketId}-o${i}`,
      marketId,
      participantId: `p${intBetween(random, 1, participants)}`,
      entryId,
      side,
      quantityKw,
      availabilityPence: base + intBetween(random, -1000, 1000),
      utilisationPence: base * 2 + intBetween(random, -2000, 2000),
      submittedAtMs: intBetween(random, 0, 3_600_000),
    });
    const entry = {
      entryId,
      resourceId: entryId,
      capacityKw: quantityKw,
      forecastKw: Array.from({ length: SPS }, () => quantityKw),
      curtailmentOrder: 0,
      tradable: true,
      flexibleServiceWindows: [],
    };
    (side === "buy" ? buyers : sellers).push(entry);
  }
  entries.push(...buyers, ...sellers);
  entries.forEach((e, i) => {
    e.curtailmentOrder = i + 1;
  });
  const curtailed = buyers.reduce((s, e) => s + e.capacityKw, 0);
  return {
    marketId,
    orders,
    mol: { constraintId: marketId, version: 1, entries },
    requiredKw: Array.from({ length: SPS }, () => curtailed),
  };
}

/**
 * A collection of the young generation, so that a timed section does not start with the garbage
 * the previous one left (the engine leaves tens of MB of trades and MOL lines per 100,000 orders,
 * which used to be collected during the next sort and inflate `sortMs`). Not a full collection:
 * a forced full collection (`gc()`) also drops the type feedback V8 keeps for the functions it has
 * run, so the engine's few dozen functions were deoptimized and compiled again after each one
 * (1,044 deoptimizations in a 20,000-order run against 72 without, and 5× the engine's time),
 * while the sort, a builtin with two small comparators, hardly noticed (D-125).
 */
const collectGarbage: () => void = (() => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as (options: { type: "minor" | "major" }) => void;
  return () => gc({ type: "minor" });
})();

/**
 * The CPU time `fn` takes, ms (user + system, every thread of the process), after a collection
 * of the young generation. CPU time, not wall time: on the shared 2-core machine another session's load would
 * otherwise count as the engine's or the sort's time, whichever it happened to overlap (D-125).
 */
function time(fn: () => void): number {
  collectGarbage();
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * Engine (rank + match + re-order) against `Array.prototype.sort` of the same order records by
 * the rank key, measured in the same process after untimed warm-up rounds, each timed section
 * starting from a collected young generation and timed in CPU time; median of `repeats` runs (at least 3). The engine's result is
 * its columns (D-120); making the records from them (every trade with its R-MATCH-5 id, every
 * MOL line with its per-SP arrays), which the cycle does where it stores them, is timed apart
 * as `outputMs`.
 */
export function benchMatching(
  orders: number,
  markets: number,
  repeats: number,
  seed = 20261130,
): MatchingRow {
  const random = seededRandom(seed + orders + markets);
  const perMarket = Math.ceil(orders / markets);
  const books = Array.from({ length: markets }, (_, m) =>
    book(`m${m}`, perMarket, random, Math.max(10, perMarket / 10)),
  );
  const all = books.flatMap((b) => b.orders);
  let trades = 0;
  const engine: number[] = [];
  const sort: number[] = [];
  const output: number[] = [];
  let results: { trades: MarketTrades; mol: ReorderedWindow }[] = [];
  // Untimed warm-up rounds first (JIT, inline caches): enough for about 100,000 orders in all, so
  // that the optimizing compiler's background threads are done before CPU time is counted.
  const warmUp = Math.max(1, Math.ceil(100_000 / all.length));
  for (let r = -warmUp; r < Math.max(3, repeats); r += 1) {
    results = [];
    const sorted = time(() => {
      all.filter((o) => o.side === "buy").sort(compareBids);
      all.filter((o) => o.side === "sell").sort(compareOffers);
    });
    const matched = time(() => {
      trades = 0;
      for (const b of books) {
        const t = matchMarketColumns(b.marketId, b.orders);
        trades += t.length;
        results.push({ trades: t, mol: reorderWindowColumns(b.mol, b.requiredKw, 0, SPS, t) });
      }
    });
    const stored = time(() => {
      for (const result of results) {
        result.trades.toTrades();
        result.mol.lines();
      }
    });
    if (r < 0) continue;
    sort.push(sorted);
    engine.push(matched);
    output.push(stored);
  }
  const engineMs = median(engine);
  const sortMs = median(sort);
  const outputMs = median(output);
  return {
    orders: all.length,
    markets,
    engineMs: round(engineMs),
    sortMs: round(sortMs),
    ratio: round(engineMs / sortMs),
    outputMs: round(outputMs),
    outputRatio: round(outputMs / sortMs),
    trades,
  };
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
