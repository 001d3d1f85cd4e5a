import { createHash } from "node:crypto";
import { seededRandom } from "../../bench/random";
import { DEFAULT_MARKET_CONFIG } from "../../functions/core/config/market-config";
import { matchMarket, matchMarketColumns } from "../../functions/core/matching/match";
import { reorderWindow, reorderWindowColumns } from "../../functions/core/merit-order/reorder";
import {
  type LookAhead,
  LookAheadSchema,
  type Mol,
  type MolEntry,
  toLookAhead,
} from "../../functions/core/model/look-ahead";
import { type DayAheadBook, deriveOpportunities } from "../../functions/core/opportunities/derive";
import { assertOrderAcceptable, type Order } from "../../functions/core/orders/order";
import { matchDay, opportunityKey, reorderDay } from "../../functions/core/use-cases/day-ahead";
import { claimsFor, type EntrySpec, lookAheadBody } from "./look-ahead-builder";

/**
 * Seeded books for the output oracle of the matching and re-ordering engine
 * (`test/unit/core/engine-output.test.ts`): what the engine makes of them is serialized strictly
 * ({@link canonical}) and hashed, and the digests the engine gave when they were recorded are in
 * `engine-digests.json` next to this file. Any change to a trade, a trade id, a slice id, a line's
 * order or any per-SP value changes a digest.
 */

const SPS = 48;

/** One market window: orders to match and the MOL their trades re-order. */
export interface WindowCase {
  name: string;
  marketId: string;
  orders: Order[];
  /** R-ELIG-5 group of each order's entry, when the market has more than one. */
  groups?: Map<string, number>;
  mol: Mol;
  requiredKw: number[];
  firstIndex: number;
  endIndex: number;
}

/** A whole day: look-ahead, derived book and accepted orders (matchDay + reorderDay). */
export interface DayCase {
  name: string;
  lookAhead: LookAhead;
  book: DayAheadBook;
  orders: Order[];
}

type Random = () => number;
const int = (r: Random, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
const pick = <T>(r: Random, values: ReadonlyArray<T>): T => values[int(r, 0, values.length - 1)]!;

interface WindowShape {
  rows: number;
  /** Orders per trading entry, at most. */
  ordersPerEntry: number;
  participants: number;
  /** Price and time grids: small ones make ties on every key. */
  priceSteps: number;
  timeSteps: number;
  width: number;
  groups: number;
  /** Share of entries with both a bid and an offer (R-ELIG-4 refuses the window). */
  bothSides: number;
  /** Share of orders on entries the MOL does not hold (the window is refused). */
  outside: number;
  /** The MOL's array out of curtailment order. */
  shuffled: boolean;
  /** Forecast arrays that end inside the window (missing values). */
  shortForecasts: boolean;
  /** Required curtailment relative to the forecast of the bidders (1 = exactly theirs). */
  pressure: number;
  /**
   * Quantities as R-ORDER-2 bounds them (an entry's offers within its lowest forecast in the
   * window, its bids within its capacity), so that re-ordering rarely fails R-REORDER-5; without
   * it any quantity, so that the refusals are covered too.
   */
  bounded: boolean;
}

function windowCase(name: string, seed: number, shape: WindowShape): WindowCase {
  const r = seededRandom(seed);
  const marketId = `mkt-${name}`;
  const width = shape.width;
  const firstIndex = width >= SPS ? 0 : int(r, 0, SPS - width);
  const endIndex = firstIndex + width;
  const entries: MolEntry[] = [];
  for (let row = 0; row < shape.rows; row += 1) {
    const capacityKw = pick(r, [0, 250, 500, 1000, 1500, 2000, 4750, 10_000]) * (r() < 0.9 ? 1 : 0);
    const length = shape.shortForecasts && r() < 0.2 ? int(r, 0, SPS) : SPS;
    const forecastKw = Array.from({ length }, () => {
      const u = r();
      return u < 0.15 ? 0 : u < 0.6 ? capacityKw : Math.floor((capacityKw * int(r, 0, 8)) / 8);
    });
    entries.push({
      entryId: `E${row}-${name}`,
      resourceId: `R${row % Math.max(1, Math.floor(shape.rows / 2))}`,
      capacityKw,
      forecastKw,
      curtailmentOrder: row + 1,
      tradable: true,
      flexibleServiceWindows: [],
    });
  }
  // Bidders are the entries the required curtailment reaches (curtailed first); offerers behind.
  const forecastAt = (e: MolEntry, i: number) => e.forecastKw[firstIndex + i] ?? 0;
  const requiredKw: number[] = [];
  let reach = 0;
  for (let i = 0; i < width; i += 1) {
    let total = 0;
    const cut = int(r, 0, shape.rows);
    for (let row = 0; row < cut; row += 1) total += forecastAt(entries[row]!, i);
    requiredKw.push(r() < 0.1 ? 0 : Math.round(total * shape.pressure * (0.8 + 0.4 * r())));
    reach = Math.max(reach, cut);
  }
  const orders: Order[] = [];
  const groups = shape.groups > 1 ? new Map<string, number>() : undefined;
  entries.forEach((entry, row) => {
    groups?.set(entry.entryId, int(r, 0, shape.groups - 1));
    const bidder = row < reach ? r() < 0.85 : r() < 0.1;
    const sides: Order["side"][] =
      r() < shape.bothSides ? ["buy", "sell"] : [bidder ? "buy" : "sell"];
    if (r() < 0.25) return;
    let lowest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < width; i += 1) lowest = Math.min(lowest, forecastAt(entry, i));
    for (const side of sides) {
      let budget = side === "sell" ? Math.min(lowest, entry.capacityKw) : entry.capacityKw;
      for (let k = int(r, 1, shape.ordersPerEntry); k > 0; k -= 1) {
        const quantityKw = shape.bounded
          ? Math.floor(budget * (k === 1 ? 1 : r()))
          : Math.max(1, Math.floor(entry.capacityKw * r()) || int(r, 1, 500));
        if (!(quantityKw >= 1)) break;
        budget -= quantityKw;
        const outside = r() < shape.outside;
        const entryId = outside ? `X${row}-${name}` : entry.entryId;
        if (outside) groups?.set(entryId, 0);
        const base = side === "buy" ? 3 : 2;
        orders.push({
          orderId: `o${orders.length}-${name}`,
          marketId,
          participantId: `p${int(r, 1, shape.participants)}`,
          entryId,
          side,
          quantityKw,
          availabilityPence: (base + int(r, -2, 2)) * Math.ceil(1000 / shape.priceSteps) * 10,
          utilisationPence: int(r, 0, shape.priceSteps) * 700,
          submittedAtMs: 1_795_000_000_000 + int(r, 0, shape.timeSteps) * 1000,
        });
      }
    }
  });
  if (shape.shuffled)
    for (let i = entries.length - 1; i > 0; i -= 1) {
      const j = int(r, 0, i);
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
  return {
    name,
    marketId,
    orders,
    ...(groups ? { groups } : {}),
    mol: { constraintId: `C-${name}`, version: 1, entries },
    requiredKw,
    firstIndex,
    endIndex,
  };
}

const SMALL: WindowShape = {
  rows: 8,
  ordersPerEntry: 3,
  participants: 3,
  priceSteps: 3,
  timeSteps: 2,
  width: 4,
  groups: 1,
  bothSides: 0,
  outside: 0,
  shuffled: false,
  shortForecasts: false,
  pressure: 1,
  bounded: true,
};

/** Every window case: many small books of every shape, some medium and a few large ones. */
export function windowCases(): WindowCase[] {
  const cases: WindowCase[] = [];
  for (let s = 0; s < 400; s += 1) {
    const r = seededRandom(7_000 + s);
    cases.push(
      windowCase(`s${s}`, 10_000 + s, {
        ...SMALL,
        rows: int(r, 1, 40),
        ordersPerEntry: int(r, 1, 3),
        participants: int(r, 1, 6),
        priceSteps: pick(r, [1, 2, 3, 50]),
        timeSteps: pick(r, [0, 1, 5, 1000]),
        width: pick(r, [0, 1, 1, 2, 3, 4, 6, 12, 48]),
        groups: pick(r, [1, 1, 2, 3]),
        bothSides: pick(r, [0, 0, 0, 0.05, 0.3]),
        outside: pick(r, [0, 0, 0, 0, 0.05]),
        shuffled: r() < 0.1,
        shortForecasts: r() < 0.1,
        pressure: pick(r, [0.5, 1, 1, 1.3]),
        bounded: r() < 0.6,
      }),
    );
  }
  for (let s = 0; s < 12; s += 1) {
    const r = seededRandom(8_000 + s);
    cases.push(
      windowCase(`m${s}`, 20_000 + s, {
        ...SMALL,
        rows: int(r, 300, 3000),
        ordersPerEntry: int(r, 1, 3),
        participants: int(r, 5, 200),
        priceSteps: pick(r, [2, 5, 200]),
        timeSteps: pick(r, [3, 100, 100_000]),
        width: pick(r, [1, 4, 8]),
        groups: pick(r, [1, 4]),
        pressure: pick(r, [0.7, 1]),
      }),
    );
  }
  for (const [s, rows] of [
    [0, 20_000],
    [1, 40_000],
  ] as const)
    cases.push(
      windowCase(`l${s}`, 30_000 + s, {
        ...SMALL,
        rows,
        ordersPerEntry: 2,
        participants: 400,
        priceSteps: 40,
        timeSteps: 3_600,
        width: 4 + 4 * s,
        groups: 1 + s,
        pressure: 1,
      }),
    );
  return cases;
}

/**
 * The bench's shape (bench/matching.ts): `n` orders over `markets` markets, one entry per order,
 * bidders ahead of offerers in the MOL, a forecast equal to capacity over 4 SPs and the bidders'
 * whole forecast required, so that no window fails R-REORDER-5.
 */
export function benchShapedCases(n: number, markets: number, seed: number): WindowCase[] {
  const r = seededRandom(seed);
  const perMarket = Math.ceil(n / markets);
  return Array.from({ length: markets }, (_, m) => {
    const marketId = `b${m}`;
    const orders: Order[] = [];
    const buyers: MolEntry[] = [];
    const sellers: MolEntry[] = [];
    for (let i = 0; i < perMarket; i += 1) {
      const side = r() < 0.5 ? "buy" : "sell";
      const quantityKw = int(r, 100, 5000);
      const entryId = `${marketId}-${side === "buy" ? "B" : "S"}${i}`;
      const base = side === "buy" ? 2000 : 1500;
      orders.push({
        orderId: `${marketId}-o${i}`,
        marketId,
        participantId: `p${int(r, 1, Math.max(10, perMarket / 10))}`,
        entryId,
        side,
        quantityKw,
        availabilityPence: base + int(r, -1000, 1000),
        utilisationPence: base * 2 + int(r, -2000, 2000),
        submittedAtMs: int(r, 0, 3_600_000),
      });
      (side === "buy" ? buyers : sellers).push({
        entryId,
        resourceId: entryId,
        capacityKw: quantityKw,
        forecastKw: [quantityKw, quantityKw, quantityKw, quantityKw],
        curtailmentOrder: 0,
        tradable: true,
        flexibleServiceWindows: [],
      });
    }
    const entries = [...buyers, ...sellers];
    entries.forEach((e, i) => {
      e.curtailmentOrder = i + 1;
    });
    const curtailed = buyers.reduce((s, e) => s + e.capacityKw, 0);
    return {
      name: `${marketId}-of-${markets}`,
      marketId,
      orders,
      mol: { constraintId: marketId, version: 1, entries },
      requiredKw: [curtailed, curtailed, curtailed, curtailed],
      firstIndex: 0,
      endIndex: 4,
    };
  });
}

/** A day with `constraints` constraints, entries shared between some of them, several events each. */
function dayCase(name: string, seed: number, constraints: number, perConstraint: number): DayCase {
  const r = seededRandom(seed);
  const deliveryDate = "2027-06-14";
  const pool: EntrySpec[] = [];
  const owners: Record<string, string> = {};
  const specs = Array.from({ length: constraints }, (_, c) => {
    const mol: EntrySpec[] = [];
    for (let k = 0; k < perConstraint; k += 1) {
      // About one entry in four is also in another constraint's MOL (R-ELIG-5).
      const shared = pool.length > 0 && r() < 0.25 ? pick(r, pool) : undefined;
      if (shared && !mol.includes(shared)) {
        mol.push(shared);
        continue;
      }
      const capacityMw = int(r, 1, 40) / 4;
      const entry: EntrySpec = {
        entryId: `G${pool.length}-${name}`,
        capacityMw,
        forecastMw: Array.from({ length: SPS }, () =>
          r() < 0.7 ? capacityMw : Math.floor(capacityMw * 1000 * r()) / 1000,
        ),
      };
      pool.push(entry);
      owners[entry.entryId] = `p${int(r, 1, 12)}`;
      mol.push(entry);
    }
    const required: Record<number, number> = {};
    for (let events = int(r, 1, 3); events > 0; events -= 1) {
      const start = int(r, 1, SPS - 3);
      const length = int(r, 1, 6);
      const mw = int(r, 1, perConstraint * 3) / 2;
      for (let sp = start; sp < Math.min(SPS + 1, start + length); sp += 1)
        required[sp] = mw * (r() < 0.3 ? 0.5 : 1);
    }
    return { constraintId: `C${c}-${name}`, required, mol };
  });
  const lookAhead = toLookAhead(LookAheadSchema.parse(lookAheadBody(deliveryDate, specs)));
  const book = deriveOpportunities(lookAhead, claimsFor(owners), DEFAULT_MARKET_CONFIG);
  const orders: Order[] = [];
  const open = new Map<string, number>();
  const wanted = book.opportunities.length * 2;
  for (let n = 0; n < wanted && book.opportunities.length > 0; n += 1) {
    const opp = pick(r, book.opportunities);
    const key = opportunityKey(opp.marketId, opp.entryId, opp.side);
    const order: Order = {
      orderId: `o${n}-${name}`,
      marketId: opp.marketId,
      participantId: opp.participantId,
      entryId: opp.entryId,
      side: opp.side,
      quantityKw: Math.max(1, Math.floor((opp.maxQuantityKw * int(r, 1, 100)) / 100)),
      availabilityPence: int(r, 0, 8) * 100,
      utilisationPence: int(r, 0, 8) * 100,
      submittedAtMs: lookAhead.issuedAtMs + int(r, 0, 5) * 1000,
    };
    if (opp.side === "sell") order.serviceType = "generation-turn-down";
    try {
      assertOrderAcceptable(order, opp, open.get(key) ?? 0, DEFAULT_MARKET_CONFIG);
      open.set(key, (open.get(key) ?? 0) + order.quantityKw);
      orders.push(order);
    } catch {
      // refused by R-ORDER-2 as the API would refuse it
    }
  }
  return { name, lookAhead, book, orders };
}

/** Every day case. */
export function dayCases(): DayCase[] {
  const cases: DayCase[] = [];
  for (let s = 0; s < 60; s += 1) {
    const r = seededRandom(40_000 + s);
    cases.push(dayCase(`d${s}`, 50_000 + s, int(r, 1, 8), int(r, 2, 25)));
  }
  cases.push(dayCase("dl0", 60_000, 40, 60));
  return cases;
}

/**
 * Strict text of a value: JSON with property order, plus what JSON would blur (NaN, ±Infinity,
 * -0, `undefined` properties and array holes).
 */
export function canonical(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, key, v: unknown) {
    if (Array.isArray(this) && !(Number(key) in this)) return "#hole";
    if (v === undefined) return "#undefined";
    if (Object.is(v, -0)) return "#-0";
    if (typeof v === "number" && !Number.isFinite(v)) return `#${v}`;
    return v;
  });
}

function outcome(run: () => unknown): unknown {
  try {
    return { ok: run() };
  } catch (error) {
    const { message, ...fields } = error as Error & Record<string, unknown>;
    return { error: (error as Error).name, message, ...fields };
  }
}

/** What the engine makes of a window: its trades and the re-ordered lines (or the refusal). */
export function windowOutput(c: WindowCase): unknown {
  const groups = c.groups;
  const trades = matchMarket(
    c.marketId,
    c.orders,
    groups ? (o) => String(groups.get(o.entryId)) : undefined,
  );
  return {
    trades,
    lines: outcome(() => reorderWindow(c.mol, c.requiredKw, c.firstIndex, c.endIndex, trades)),
  };
}

/**
 * {@link windowOutput} through the column path the bench times (D-120): the trades matching made
 * go into re-ordering as columns, and the records are made from both results afterwards.
 */
export function windowOutputFromColumns(c: WindowCase): unknown {
  const groups = c.groups;
  const trades = matchMarketColumns(
    c.marketId,
    c.orders,
    groups ? (o) => String(groups.get(o.entryId)) : undefined,
  );
  const lines = outcome(() =>
    reorderWindowColumns(c.mol, c.requiredKw, c.firstIndex, c.endIndex, trades).lines(),
  );
  return { trades: trades.toTrades(), lines };
}

/** What the day's rules make of a day: its trades and the re-ordered MOLs (or the refusal). */
export function dayOutput(c: DayCase): unknown {
  const trades = matchDay(c.book, c.orders);
  return { trades, meritOrders: outcome(() => reorderDay(c.lookAhead, c.book, trades)) };
}

/** SHA-256 of {@link canonical}, hex. */
export function digestOf(value: unknown): string {
  return createHash("sha256").update(canonical(value)).digest("hex");
}
