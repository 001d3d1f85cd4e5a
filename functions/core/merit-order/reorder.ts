import { walkAllocation, walkOrder } from "../allocation/allocate";
import { DomainError, NeutralityViolationError } from "../errors";
import { type Trade, type TradeColumns, tradeColumnsOf } from "../matching/trades";
import type { LookAhead, Mol, MolEntry } from "../model/look-ahead";
import { SP_MS } from "../model/settlement-periods";
import type { Market } from "../opportunities/derive";
import { EntryRows } from "./entry-rows";

/** One line of a re-ordered MOL: an untouched entry, a trade slice `E/T`, or a remainder `E/rem`. */
export interface MeritOrderLine {
  curtailmentOrder: number;
  entryId: string;
  parentEntryId: string;
  tradeId?: string;
  resourceId: string;
  capacityKw: number;
  /** Per SP of the segment, kW. */
  forecastKw: number[];
  /** R-REORDER-4 curtailment instruction per SP of the segment, kW. */
  curtailmentKw: number[];
}

/** A time segment of one constraint in which a re-ordered MOL replaces the original. */
export interface MeritOrderSegment {
  /** The market whose trades define the segment (the constraint's own market when it has one). */
  marketId: string;
  /** Every market with a trade applied in this segment (more than one only through R-ELIG-5). */
  marketIds: string[];
  validFromMs: number;
  validToMs: number;
  /** 0-based SP indexes [firstIndex, endIndex) of the delivery day. */
  firstIndex: number;
  endIndex: number;
  entries: MeritOrderLine[];
}

/** The re-ordered MOL of one constraint: segments in time order; outside them the base stands. */
export interface ConstraintMeritOrder {
  constraintId: string;
  segments: MeritOrderSegment[];
}

/** A trade together with what re-ordering needs to know about where it applies. */
export interface PlacedTrade {
  trade: Trade;
  /** Constraints whose MOL the swap is applied to: the market's and R-ELIG-5's shared ones. */
  constraintIds: ReadonlyArray<string>;
}

/**
 * R-REORDER-1..5: re-orders every constraint's MOL that some trade applies to. A trade applies,
 * over its market window, to its market's constraint and to the R-ELIG-5 shared constraints.
 * Segments are the maximal intervals over which the same set of trades applies (one per traded
 * market window in the usual case). Throws {@link NeutralityViolationError} if an untraded entry's
 * curtailment would change (R-REORDER-5): the cycle then publishes the original MOL.
 */
export function reorderMeritOrders(
  lookAhead: LookAhead,
  markets: ReadonlyArray<Market>,
  placed: ReadonlyArray<PlacedTrade>,
): ConstraintMeritOrder[] {
  const marketById = new Map(markets.map((m) => [m.marketId, m]));
  const marketRank = new Map(
    [...markets]
      .sort((a, b) => a.windowStartMs - b.windowStartMs || (a.marketId < b.marketId ? -1 : 1))
      .map((m, i) => [m.marketId, i]),
  );
  // The trades applying to each constraint, in `placed` order: one pass, not one per constraint.
  const placedOn = new Map<string, PlacedTrade[]>();
  for (const p of placed)
    p.constraintIds.forEach((constraintId, i) => {
      if (p.constraintIds.indexOf(constraintId) !== i) return;
      const list = placedOn.get(constraintId);
      if (list) list.push(p);
      else placedOn.set(constraintId, [p]);
    });
  const result: ConstraintMeritOrder[] = [];
  for (const constraint of lookAhead.constraints) {
    const mol = lookAhead.mols.get(constraint.constraintId);
    const applying = (placedOn.get(constraint.constraintId) ?? [])
      .map((p) => ({ trade: p.trade, market: marketById.get(p.trade.marketId)! }))
      .sort(
        (a, b) =>
          marketRank.get(a.market.marketId)! - marketRank.get(b.market.marketId)! ||
          a.trade.sequence - b.trade.sequence,
      );
    if (!mol || applying.length === 0) continue;

    const bounds = [
      ...new Set(applying.flatMap((a) => [a.market.windowStartMs, a.market.windowEndMs])),
    ].sort((a, b) => a - b);
    const segments: MeritOrderSegment[] = [];
    for (let b = 0; b + 1 < bounds.length; b += 1) {
      const from = bounds[b]!;
      const to = bounds[b + 1]!;
      const here = applying.filter(
        (a) => a.market.windowStartMs <= from && a.market.windowEndMs >= to,
      );
      if (here.length === 0) continue;
      const firstIndex = (from - lookAhead.day.startMs) / SP_MS;
      const endIndex = (to - lookAhead.day.startMs) / SP_MS;
      const own = here.find((a) => a.market.constraintId === constraint.constraintId);
      const marketIds = [...new Set(here.map((a) => a.market.marketId))];
      segments.push({
        marketId: (own ?? here[0]!).market.marketId,
        marketIds,
        validFromMs: from,
        validToMs: to,
        firstIndex,
        endIndex,
        entries: reorderWindow(
          mol,
          constraint.requiredKw.slice(firstIndex, endIndex),
          firstIndex,
          endIndex,
          here.map((a) => a.trade),
        ),
      });
    }
    result.push({ constraintId: constraint.constraintId, segments });
  }
  return result;
}

/**
 * R-REORDER-1..5 for one MOL over SPs [firstIndex, endIndex) with `trades` in matching order.
 * `requiredKw` is the required curtailment over the same SPs. The lines, each built once in its
 * final position; {@link reorderWindowColumns} does the work.
 */
export function reorderWindow(
  mol: Mol,
  requiredKw: ReadonlyArray<number>,
  firstIndex: number,
  endIndex: number,
  trades: ReadonlyArray<Trade>,
): MeritOrderLine[] {
  return reorderWindowColumns(
    mol,
    requiredKw,
    firstIndex,
    endIndex,
    tradeColumnsOf(trades),
  ).lines();
}

/**
 * {@link reorderWindow} on trades as columns, keeping the re-ordered MOL as columns (D-120).
 * The work is done on flat typed arrays in named phases (the MOL's window, per-row trade lists,
 * slice forecasts, the new order, both R-ALLOC runs); no line object, per-SP array or trade id
 * is made until {@link ReorderedWindow.lines}. Throws as {@link reorderWindow} does (an entry
 * outside the MOL, R-ELIG-4, R-REORDER-5).
 */
export function reorderWindowColumns(
  mol: Mol,
  requiredKw: ReadonlyArray<number>,
  firstIndex: number,
  endIndex: number,
  trades: TradeColumns,
): ReorderedWindow {
  const width = Math.max(0, endIndex - firstIndex);
  const window = molWindow(mol.entries, trades.length, firstIndex, width);
  const index = indexTrades(mol, window, trades);
  const slices = sliceForecasts(mol.entries, window, index);
  const order = newOrder(window, index, slices.hasRemainder);
  const after = recalculate(window, order, requiredKw);
  checkNeutrality(mol, window, order, after, requiredKw);
  return new ReorderedWindow(mol.entries, window, index, slices, order, after, requiredKw.length);
}

/**
 * The re-ordered MOL of one window as columns: the lines in curtailment order (untraded entries,
 * remainders, slices; see {@link LineOrder}), their forecasts and their recalculated curtailment
 * per SP. {@link lines} makes the line records.
 */
export class ReorderedWindow {
  constructor(
    private readonly entries: ReadonlyArray<MolEntry>,
    private readonly window: MolWindow,
    private readonly index: TradeIndex,
    private readonly slices: Slices,
    private readonly order: LineOrder,
    /** R-REORDER-4 curtailment, `[line * spans + sp]`. */
    private readonly after: Float64Array,
    private readonly spans: number,
  ) {}

  get lineCount(): number {
    return this.order.lineCount;
  }

  /** The lines of the re-ordered MOL in curtailment order, each built once. */
  lines(): MeritOrderLine[] {
    const { entries, window, index, slices, order, after, spans } = this;
    const { rows, width, firstIndex, kw } = window;
    const { count, buyerRow, sellerRow, quantityKw, trades } = index;
    const endIndex = firstIndex + width;
    const out: MeritOrderLine[] = new Array(order.lineCount);
    for (let l = 0; l < order.lineCount; l += 1) {
      const code = order.code[l]!;
      const curtailmentKw = copyOf(after, l * spans, spans);
      if (code < rows) {
        const entry = entries[code]!;
        out[l] = {
          curtailmentOrder: l + 1,
          entryId: entry.entryId,
          parentEntryId: entry.entryId,
          resourceId: entry.resourceId,
          capacityKw: entry.capacityKw,
          forecastKw: entry.forecastKw.slice(firstIndex, endIndex),
          curtailmentKw,
        };
      } else if (code < 2 * rows) {
        const row = code - rows;
        const entry = entries[row]!;
        out[l] = {
          curtailmentOrder: l + 1,
          entryId: `${entry.entryId}/rem`,
          parentEntryId: entry.entryId,
          resourceId: entry.resourceId,
          capacityKw: Math.max(0, slices.remainderCapacityKw[row]!),
          forecastKw: copyOf(kw, order.at[l]!, width),
          curtailmentKw,
        };
      } else {
        const buyerSlice = code < 2 * rows + count;
        const k = buyerSlice ? code - 2 * rows : code - 2 * rows - count;
        const tradeId = trades.tradeId(k);
        const entry = entries[buyerSlice ? buyerRow[k]! : sellerRow[k]!]!;
        const line: MeritOrderLine = {
          curtailmentOrder: l + 1,
          entryId: `${entry.entryId}/${tradeId}`,
          parentEntryId: entry.entryId,
          resourceId: entry.resourceId,
          capacityKw: quantityKw[k]!,
          forecastKw: copyOf(kw, order.at[l]!, width),
          curtailmentKw,
        };
        if (tradeId) line.tradeId = tradeId;
        out[l] = line;
      }
    }
    return out;
  }
}

/**
 * The MOL over the window, read once, row by row: the entry ids' rows, the curtailment orders
 * and capacities, and the forecasts of every line re-ordering can make, in one buffer `kw` of
 * `width` values per line: the rows' own (`[row * width]`, a value the row does not have as 0,
 * as R-ALLOC reads it), then the remainders' (`[(rows + row) * width]`), then the slices'
 * (`[(2 * rows + k) * width]`, both slices of trade k carry the same forecast).
 */
interface MolWindow {
  rows: number;
  width: number;
  firstIndex: number;
  rowOf: EntryRows;
  curtailmentOrder: Float64Array;
  capacityKw: Float64Array;
  kw: Float64Array;
  /** 1 for a row whose forecast ends inside the window; undefined when no row's does. */
  partial: Uint8Array | undefined;
}

function molWindow(
  entries: ReadonlyArray<MolEntry>,
  tradeCount: number,
  firstIndex: number,
  width: number,
): MolWindow {
  const rows = entries.length;
  const ids: string[] = new Array(rows);
  const curtailmentOrder = new Float64Array(rows);
  const capacityKw = new Float64Array(rows);
  const kw = new Float64Array((2 * rows + tradeCount) * width);
  let partial: Uint8Array | undefined;
  for (let row = 0; row < rows; row += 1) {
    const entry = entries[row]!;
    ids[row] = entry.entryId;
    curtailmentOrder[row] = entry.curtailmentOrder;
    capacityKw[row] = entry.capacityKw;
    const forecast = entry.forecastKw;
    const base = row * width;
    for (let i = 0; i < width; i += 1) {
      const value = forecast[firstIndex + i];
      if (value === undefined) {
        partial ??= new Uint8Array(rows);
        partial[row] = 1;
      } else kw[base + i] = value;
    }
  }
  return {
    rows,
    width,
    firstIndex,
    rowOf: new EntryRows(ids),
    curtailmentOrder,
    capacityKw,
    kw,
    partial,
  };
}

/** The trades of one window against the MOL's rows, as compressed per-row lists. */
interface TradeIndex {
  count: number;
  buyerRow: Int32Array;
  sellerRow: Int32Array;
  quantityKw: ArrayLike<number>;
  trades: TradeColumns;
  /** `buyTrades[buyStart[row] .. buyStart[row + 1])`: the trades a row buys in, matching order. */
  buyStart: Int32Array;
  buyTrades: Int32Array;
  sellStart: Int32Array;
  sellTrades: Int32Array;
}

/**
 * The MOL row of each trade's party on one side (its bid or its offer, one of `count`), looked
 * up once per party (several trades of one order share it) and in the parties' own order, which
 * reads their entry ids in the order they were made. -1 where the MOL does not hold the entry.
 */
function rowsOfParties(
  rows: EntryRows,
  count: number,
  partyOf: ArrayLike<number>,
  entryIdOf: (party: number) => string,
): Int32Array {
  const rowOfParty = new Int32Array(count).fill(-2);
  for (let k = 0; k < partyOf.length; k += 1) rowOfParty[partyOf[k]!] = -1;
  for (let party = 0; party < count; party += 1)
    if (rowOfParty[party] === -1) rowOfParty[party] = rows.rowOf(entryIdOf(party));
  const out = new Int32Array(partyOf.length);
  for (let k = 0; k < out.length; k += 1) out[k] = rowOfParty[partyOf[k]!]!;
  return out;
}

/** Each trade's buyer and seller row, and per row the trades it is in (R-ELIG-4 checked). */
function indexTrades(mol: Mol, window: MolWindow, trades: TradeColumns): TradeIndex {
  const { rows, rowOf } = window;
  const count = trades.length;
  const buyerRow = rowsOfParties(rowOf, trades.bidCount, trades.bid, (b) => trades.bidEntryId(b));
  const sellerRow = rowsOfParties(rowOf, trades.offerCount, trades.offer, (o) =>
    trades.offerEntryId(o),
  );
  const buyStart = new Int32Array(rows + 1);
  const sellStart = new Int32Array(rows + 1);
  for (let k = 0; k < count; k += 1) {
    const b = buyerRow[k]!;
    const s = sellerRow[k]!;
    if (b < 0 || s < 0)
      throw new DomainError(
        "TRADE_OUTSIDE_MOL",
        `Trade ${trades.tradeId(k)} names an entry that is not in the MOL of constraint ${mol.constraintId}.`,
      );
    buyStart[b + 1] = buyStart[b + 1]! + 1;
    sellStart[s + 1] = sellStart[s + 1]! + 1;
  }
  for (let row = 0; row < rows; row += 1) {
    if (buyStart[row + 1]! > 0 && sellStart[row + 1]! > 0)
      throw new DomainError(
        "ENTRY_BOTH_SIDES",
        `Entry ${mol.entries[row]!.entryId} is both buyer and seller in one window (R-ELIG-4).`,
      );
    buyStart[row + 1] = buyStart[row + 1]! + buyStart[row]!;
    sellStart[row + 1] = sellStart[row + 1]! + sellStart[row]!;
  }
  // Each row's list filled in matching order with its start as the cursor, which leaves every
  // start at the next row's; one shift puts them back.
  const buyTrades = new Int32Array(count);
  const sellTrades = new Int32Array(count);
  for (let k = 0; k < count; k += 1) {
    const b = buyerRow[k]!;
    const s = sellerRow[k]!;
    buyTrades[buyStart[b]!] = k;
    buyStart[b] = buyStart[b]! + 1;
    sellTrades[sellStart[s]!] = k;
    sellStart[s] = sellStart[s]! + 1;
  }
  for (let row = rows; row > 0; row -= 1) {
    buyStart[row] = buyStart[row - 1]!;
    sellStart[row] = sellStart[row - 1]!;
  }
  buyStart[0] = 0;
  sellStart[0] = 0;
  return {
    count,
    buyerRow,
    sellerRow,
    quantityKw: trades.quantityKw,
    trades,
    buyStart,
    buyTrades,
    sellStart,
    sellTrades,
  };
}

/** What slicing adds to the window: the remainders' capacities and which remainders exist. */
interface Slices {
  remainderCapacityKw: Float64Array;
  /** 1 when the row's `E/rem` line exists (D-5). */
  hasRemainder: Uint8Array;
}

/**
 * R-REORDER-1/2: slices, into the window's `kw`. A buyer's forecast goes to its slices in
 * matching order; the seller's slice of a trade carries the same MW as the buyer's slice of it;
 * what is left is `E/rem` (a value the entry does not have makes the remainder NaN there).
 */
function sliceForecasts(
  entries: ReadonlyArray<MolEntry>,
  window: MolWindow,
  index: TradeIndex,
): Slices {
  const { rows, width, firstIndex, kw, capacityKw, partial } = window;
  const { buyStart, buyTrades, sellStart, sellTrades, quantityKw } = index;
  const remainders = rows * width;
  const sliceBase = 2 * rows * width;
  const remainderCapacityKw = new Float64Array(rows);
  const hasRemainder = new Uint8Array(rows);
  for (let row = 0; row < rows; row += 1) {
    const from = buyStart[row]!;
    const to = buyStart[row + 1]!;
    const sold = sellStart[row + 1]! - sellStart[row]!;
    if (from === to && sold === 0) continue;
    const base = remainders + row * width;
    if (partial?.[row]) {
      const forecast = entries[row]!.forecastKw;
      for (let i = 0; i < width; i += 1) kw[base + i] = forecast[firstIndex + i]!;
    } else for (let i = 0; i < width; i += 1) kw[base + i] = kw[row * width + i]!;
    if (from === to) continue;
    let traded = 0;
    for (let at = from; at < to; at += 1) {
      const k = buyTrades[at]!;
      const q = quantityKw[k]!;
      traded += q;
      const slice = sliceBase + k * width;
      for (let i = 0; i < width; i += 1) {
        const take = Math.min(kw[base + i]!, q);
        kw[base + i] = kw[base + i]! - take;
        kw[slice + i] = take;
      }
    }
    remainderCapacityKw[row] = capacityKw[row]! - traded;
  }
  // Sellers after every buyer: a seller's remainder is its forecast less the slices it gives.
  for (let row = 0; row < rows; row += 1) {
    const from = sellStart[row]!;
    const to = sellStart[row + 1]!;
    if (from === to) continue;
    const base = remainders + row * width;
    let traded = 0;
    for (let at = from; at < to; at += 1) {
      const k = sellTrades[at]!;
      traded += quantityKw[k]!;
      const slice = sliceBase + k * width;
      for (let i = 0; i < width; i += 1) kw[base + i] = Math.max(0, kw[base + i]! - kw[slice + i]!);
    }
    remainderCapacityKw[row] = capacityKw[row]! - traded;
  }
  // D-5: `E/rem` is omitted when its capacity is 0 and it carries no forecast in the window.
  for (let row = 0; row < rows; row += 1) {
    if (buyStart[row] === buyStart[row + 1] && sellStart[row] === sellStart[row + 1]) continue;
    let keep = !(remainderCapacityKw[row]! <= 0);
    const base = remainders + row * width;
    for (let i = 0; i < width && !keep; i += 1) keep = !(kw[base + i]! <= 0);
    if (keep) hasRemainder[row] = 1;
  }
  return { remainderCapacityKw, hasRemainder };
}

/**
 * The re-ordered lines, each encoded as `row` (untraded), `rows + row` (remainder),
 * `2 * rows + k` (the buyer's slice of trade k, at the seller's position) or
 * `2 * rows + count + k` (the seller's slice, at the buyer's position), with where the line's
 * forecasts start in the window's `kw`.
 */
interface LineOrder {
  code: Int32Array;
  at: Int32Array;
  lineCount: number;
  /** The line of each untraded row, -1 for a traded one. */
  untradedLine: Int32Array;
}

/**
 * R-REORDER-3: the new order. A buyer emits its remainder, then the sellers' slices by the
 * sellers' original order (then matching order); a seller emits the buyers' slices by the
 * buyers' original order (then matching order), then its remainder; others stay as they are.
 */
function newOrder(window: MolWindow, index: TradeIndex, hasRemainder: Uint8Array): LineOrder {
  const { rows, width, curtailmentOrder } = window;
  const { count, buyStart, buyTrades, sellStart, sellTrades, buyerRow, sellerRow } = index;
  const code = new Int32Array(rows + 2 * count);
  const at = new Int32Array(rows + 2 * count);
  let lineCount = 0;
  const untradedLine = new Int32Array(rows).fill(-1);
  const slices = 2 * rows;
  for (let row = 0; row < rows; row += 1) {
    const buyFrom = buyStart[row]!;
    const buyTo = buyStart[row + 1]!;
    const sellFrom = sellStart[row]!;
    const sellTo = sellStart[row + 1]!;
    if (buyFrom < buyTo) {
      if (hasRemainder[row]) {
        at[lineCount] = (rows + row) * width;
        code[lineCount++] = rows + row;
      }
      sortByCounterparty(buyTrades, buyFrom, buyTo, sellerRow, curtailmentOrder);
      for (let i = buyFrom; i < buyTo; i += 1) {
        const k = buyTrades[i]!;
        at[lineCount] = (slices + k) * width;
        code[lineCount++] = slices + count + k;
      }
    } else if (sellFrom < sellTo) {
      sortByCounterparty(sellTrades, sellFrom, sellTo, buyerRow, curtailmentOrder);
      for (let i = sellFrom; i < sellTo; i += 1) {
        const k = sellTrades[i]!;
        at[lineCount] = (slices + k) * width;
        code[lineCount++] = slices + k;
      }
      if (hasRemainder[row]) {
        at[lineCount] = (rows + row) * width;
        code[lineCount++] = rows + row;
      }
    } else {
      untradedLine[row] = lineCount;
      at[lineCount] = row * width;
      code[lineCount++] = row;
    }
  }
  return { code, at, lineCount, untradedLine };
}

/** R-REORDER-4: recalculated curtailment on the new MOL (the R-ALLOC walk over the lines in order). */
function recalculate(
  window: MolWindow,
  order: LineOrder,
  requiredKw: ReadonlyArray<number>,
): Float64Array {
  const { lineCount, at } = order;
  return walkAllocation(requiredKw, {
    count: lineCount,
    forecastKw: window.kw,
    width: window.width,
    at,
  }).curtailedKw;
}

/** R-REORDER-5: every entry in no trade is curtailed exactly as before re-ordering. */
function checkNeutrality(
  mol: Mol,
  window: MolWindow,
  order: LineOrder,
  after: Float64Array,
  requiredKw: ReadonlyArray<number>,
): void {
  const { rows, width, firstIndex, kw, curtailmentOrder } = window;
  const spans = requiredKw.length;
  const before = walkAllocation(
    requiredKw,
    { count: rows, forecastKw: kw, width },
    walkOrder(curtailmentOrder),
  ).curtailedKw;
  const compared = Math.min(width, spans);
  for (let row = 0; row < rows; row += 1) {
    const line = order.untradedLine[row]!;
    if (line < 0) continue;
    for (let i = 0; i < compared; i += 1)
      if (after[line * spans + i] !== before[row * spans + i])
        throw new NeutralityViolationError(
          mol.constraintId,
          mol.entries[row]!.entryId,
          firstIndex + i + 1,
        );
  }
}

/**
 * Sorts `list[from..to)` (trade indexes, ascending) by the counterparty's original
 * `curtailmentOrder`, then trade index. Insertion sort: a row rarely has more than a few trades.
 */
function sortByCounterparty(
  list: Int32Array,
  from: number,
  to: number,
  counterpartyRow: Int32Array,
  curtailmentOrder: Float64Array,
): void {
  for (let i = from + 1; i < to; i += 1) {
    const k = list[i]!;
    const order = curtailmentOrder[counterpartyRow[k]!]!;
    let j = i - 1;
    while (j >= from) {
      const other = list[j]!;
      if (!((curtailmentOrder[counterpartyRow[other]!]! - order || other - k) > 0)) break;
      list[j + 1] = other;
      j -= 1;
    }
    list[j + 1] = k;
  }
}

/** `values[from .. from + length)` as a number[] allocated at its exact length. */
function copyOf(values: Float64Array, from: number, length: number): number[] {
  const out = new Array<number>(length);
  for (let i = 0; i < length; i += 1) out[i] = values[from + i]!;
  return out;
}
