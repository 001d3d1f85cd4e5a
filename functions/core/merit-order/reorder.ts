import { inOrder, walkAllocation, walkOrder } from "../allocation/allocate";
import { DomainError, NeutralityViolationError } from "../errors";
import type { Trade } from "../matching/match";
import type { LookAhead, Mol, MolEntry } from "../model/look-ahead";
import { SP_MS } from "../model/settlement-periods";
import type { Market } from "../opportunities/derive";

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
 * `requiredKw` is the required curtailment over the same SPs.
 *
 * The work is done on flat typed arrays (per-row trade lists, slice forecasts, both R-ALLOC runs)
 * in named phases; the only objects made are the lines returned, each built once in its final
 * position.
 */
export function reorderWindow(
  mol: Mol,
  requiredKw: ReadonlyArray<number>,
  firstIndex: number,
  endIndex: number,
  trades: ReadonlyArray<Trade>,
): MeritOrderLine[] {
  const width = Math.max(0, endIndex - firstIndex);
  const index = indexTrades(mol, trades);
  const slices = sliceForecasts(mol.entries, index, firstIndex, width);
  const order = newOrder(mol.entries, index, slices.hasRemainder);
  const after = recalculate(mol.entries, index, slices, order, requiredKw, firstIndex, width);
  checkNeutrality(mol, order, after, requiredKw, firstIndex, width);
  return lines(mol.entries, index, slices, order, after, requiredKw.length, firstIndex, endIndex);
}

/** The trades of one window against the MOL's rows, as compressed per-row lists. */
interface TradeIndex {
  rows: number;
  count: number;
  buyerRow: Int32Array;
  sellerRow: Int32Array;
  quantityKw: Float64Array;
  tradeIds: string[];
  /** `buyTrades[buyStart[row] .. buyStart[row + 1])`: the trades a row buys in, matching order. */
  buyStart: Int32Array;
  buyTrades: Int32Array;
  sellStart: Int32Array;
  sellTrades: Int32Array;
}

/** Each trade's buyer and seller row, and per row the trades it is in (R-ELIG-4 checked). */
function indexTrades(mol: Mol, trades: ReadonlyArray<Trade>): TradeIndex {
  const entries = mol.entries;
  const rows = entries.length;
  const count = trades.length;
  const rowOf = new Map<string, number>();
  for (let row = 0; row < rows; row += 1) rowOf.set(entries[row]!.entryId, row);
  const buyerRow = new Int32Array(count);
  const sellerRow = new Int32Array(count);
  // What the later passes read of each trade, gathered in one sequential pass over the trades.
  const quantityKw = new Float64Array(count);
  const tradeIds: string[] = new Array(count);
  const buyStart = new Int32Array(rows + 1);
  const sellStart = new Int32Array(rows + 1);
  for (let k = 0; k < count; k += 1) {
    const t = trades[k]!;
    const b = rowOf.get(t.buyEntryId);
    const s = rowOf.get(t.sellEntryId);
    if (b === undefined || s === undefined)
      throw new DomainError(
        "TRADE_OUTSIDE_MOL",
        `Trade ${t.tradeId} names an entry that is not in the MOL of constraint ${mol.constraintId}.`,
      );
    buyerRow[k] = b;
    sellerRow[k] = s;
    quantityKw[k] = t.quantityKw;
    tradeIds[k] = t.tradeId;
    buyStart[b + 1] = buyStart[b + 1]! + 1;
    sellStart[s + 1] = sellStart[s + 1]! + 1;
  }
  for (let row = 0; row < rows; row += 1) {
    if (buyStart[row + 1]! > 0 && sellStart[row + 1]! > 0)
      throw new DomainError(
        "ENTRY_BOTH_SIDES",
        `Entry ${entries[row]!.entryId} is both buyer and seller in one window (R-ELIG-4).`,
      );
    buyStart[row + 1] = buyStart[row + 1]! + buyStart[row]!;
    sellStart[row + 1] = sellStart[row + 1]! + sellStart[row]!;
  }
  const buyTrades = new Int32Array(count);
  const sellTrades = new Int32Array(count);
  const buyAt = buyStart.slice(0, rows);
  const sellAt = sellStart.slice(0, rows);
  for (let k = 0; k < count; k += 1) {
    const b = buyerRow[k]!;
    const s = sellerRow[k]!;
    buyTrades[buyAt[b]!] = k;
    buyAt[b] = buyAt[b]! + 1;
    sellTrades[sellAt[s]!] = k;
    sellAt[s] = sellAt[s]! + 1;
  }
  return {
    rows,
    count,
    buyerRow,
    sellerRow,
    quantityKw,
    tradeIds,
    buyStart,
    buyTrades,
    sellStart,
    sellTrades,
  };
}

/** The slices' and remainders' forecasts over the window (R-REORDER-1/2, D-5). */
interface Slices {
  /** `sliceKw[k * width + i]`: the forecast of both slices of trade k. */
  sliceKw: Float64Array;
  /** `remainderKw[row * width + i]`: the forecast of `E/rem`. */
  remainderKw: Float64Array;
  remainderCapacityKw: Float64Array;
  /** 1 when the row's `E/rem` line exists (D-5). */
  hasRemainder: Uint8Array;
}

/**
 * R-REORDER-1/2: slices. A buyer's forecast goes to its slices in matching order; the seller's
 * slice of a trade carries the same MW as the buyer's slice of it; what is left is `E/rem`.
 */
function sliceForecasts(
  entries: ReadonlyArray<MolEntry>,
  index: TradeIndex,
  firstIndex: number,
  width: number,
): Slices {
  const { rows, count, buyStart, buyTrades, sellStart, sellTrades, quantityKw } = index;
  const sliceKw = new Float64Array(count * width);
  const remainderKw = new Float64Array(rows * width);
  const remainderCapacityKw = new Float64Array(rows);
  const hasRemainder = new Uint8Array(rows);
  for (let row = 0; row < rows; row += 1) {
    const from = buyStart[row]!;
    const to = buyStart[row + 1]!;
    const sold = sellStart[row + 1]! - sellStart[row]!;
    if (from === to && sold === 0) continue;
    const entry = entries[row]!;
    const forecast = entry.forecastKw;
    const base = row * width;
    // A missing forecast value reads as NaN here, as `undefined` arithmetic does.
    for (let i = 0; i < width; i += 1) remainderKw[base + i] = forecast[firstIndex + i]!;
    if (from === to) continue;
    let traded = 0;
    for (let at = from; at < to; at += 1) {
      const k = buyTrades[at]!;
      const q = quantityKw[k]!;
      traded += q;
      for (let i = 0; i < width; i += 1) {
        const take = Math.min(remainderKw[base + i]!, q);
        remainderKw[base + i] = remainderKw[base + i]! - take;
        sliceKw[k * width + i] = take;
      }
    }
    remainderCapacityKw[row] = entry.capacityKw - traded;
  }
  // Sellers after every buyer: a seller's remainder is its forecast less the slices it gives.
  for (let row = 0; row < rows; row += 1) {
    const from = sellStart[row]!;
    const to = sellStart[row + 1]!;
    if (from === to) continue;
    const base = row * width;
    let traded = 0;
    for (let at = from; at < to; at += 1) {
      const k = sellTrades[at]!;
      traded += quantityKw[k]!;
      for (let i = 0; i < width; i += 1)
        remainderKw[base + i] = Math.max(0, remainderKw[base + i]! - sliceKw[k * width + i]!);
    }
    remainderCapacityKw[row] = entries[row]!.capacityKw - traded;
  }
  // D-5: `E/rem` is omitted when its capacity is 0 and it carries no forecast in the window.
  for (let row = 0; row < rows; row += 1) {
    if (buyStart[row] === buyStart[row + 1] && sellStart[row] === sellStart[row + 1]) continue;
    let keep = !(remainderCapacityKw[row]! <= 0);
    for (let i = 0; i < width && !keep; i += 1) keep = !(remainderKw[row * width + i]! <= 0);
    if (keep) hasRemainder[row] = 1;
  }
  return { sliceKw, remainderKw, remainderCapacityKw, hasRemainder };
}

/**
 * The re-ordered lines, each encoded as `row` (untraded), `rows + row` (remainder),
 * `2 * rows + k` (the buyer's slice of trade k, at the seller's position) or
 * `2 * rows + count + k` (the seller's slice, at the buyer's position).
 */
interface LineOrder {
  order: Int32Array;
  lineCount: number;
  /** The line of each untraded row, -1 for a traded one. */
  untradedLine: Int32Array;
}

/**
 * R-REORDER-3: the new order. A buyer emits its remainder, then the sellers' slices by the
 * sellers' original order (then matching order); a seller emits the buyers' slices by the
 * buyers' original order (then matching order), then its remainder; others stay as they are.
 */
function newOrder(
  entries: ReadonlyArray<MolEntry>,
  index: TradeIndex,
  hasRemainder: Uint8Array,
): LineOrder {
  const { rows, count, buyStart, buyTrades, sellStart, sellTrades, buyerRow, sellerRow } = index;
  const order = new Int32Array(rows + 2 * count);
  let lineCount = 0;
  const untradedLine = new Int32Array(rows).fill(-1);
  for (let row = 0; row < rows; row += 1) {
    const buyFrom = buyStart[row]!;
    const buyTo = buyStart[row + 1]!;
    const sellFrom = sellStart[row]!;
    const sellTo = sellStart[row + 1]!;
    if (buyFrom < buyTo) {
      if (hasRemainder[row]) order[lineCount++] = rows + row;
      sortByCounterparty(buyTrades, buyFrom, buyTo, sellerRow, entries);
      for (let at = buyFrom; at < buyTo; at += 1)
        order[lineCount++] = 2 * rows + count + buyTrades[at]!;
    } else if (sellFrom < sellTo) {
      sortByCounterparty(sellTrades, sellFrom, sellTo, buyerRow, entries);
      for (let at = sellFrom; at < sellTo; at += 1) order[lineCount++] = 2 * rows + sellTrades[at]!;
      if (hasRemainder[row]) order[lineCount++] = rows + row;
    } else {
      untradedLine[row] = lineCount;
      order[lineCount++] = row;
    }
  }
  return { order, lineCount, untradedLine };
}

/** The forecast of line `code` (see {@link LineOrder}) in SP `sp` of the window. */
function lineForecast(
  entries: ReadonlyArray<MolEntry>,
  index: TradeIndex,
  slices: Slices,
  code: number,
  sp: number,
  firstIndex: number,
  width: number,
): number | undefined {
  const { rows, count } = index;
  if (sp >= width) return undefined;
  if (code < rows) return entries[code]!.forecastKw[firstIndex + sp];
  if (code < 2 * rows) return slices.remainderKw[(code - rows) * width + sp];
  const k = code < 2 * rows + count ? code - 2 * rows : code - 2 * rows - count;
  return slices.sliceKw[k * width + sp];
}

/** R-REORDER-4: recalculated curtailment on the new MOL (the R-ALLOC walk over the lines in order). */
function recalculate(
  entries: ReadonlyArray<MolEntry>,
  index: TradeIndex,
  slices: Slices,
  order: LineOrder,
  requiredKw: ReadonlyArray<number>,
  firstIndex: number,
  width: number,
): Float64Array {
  const codes = order.order;
  return walkAllocation(requiredKw, inOrder(order.lineCount), order.lineCount, (line, sp) =>
    lineForecast(entries, index, slices, codes[line]!, sp, firstIndex, width),
  ).curtailedKw;
}

/** R-REORDER-5: every entry in no trade is curtailed exactly as before re-ordering. */
function checkNeutrality(
  mol: Mol,
  order: LineOrder,
  after: Float64Array,
  requiredKw: ReadonlyArray<number>,
  firstIndex: number,
  width: number,
): void {
  const entries = mol.entries;
  const spans = requiredKw.length;
  const before = walkAllocation(
    requiredKw,
    walkOrder(entries),
    entries.length,
    (row, sp) => entries[row]!.forecastKw[firstIndex + sp],
  ).curtailedKw;
  const compared = Math.min(width, spans);
  for (let row = 0; row < entries.length; row += 1) {
    const at = order.untradedLine[row]!;
    if (at < 0) continue;
    for (let i = 0; i < compared; i += 1)
      if (after[at * spans + i] !== before[row * spans + i])
        throw new NeutralityViolationError(
          mol.constraintId,
          entries[row]!.entryId,
          firstIndex + i + 1,
        );
  }
}

/** The lines of the re-ordered MOL, each built once in its final position. */
function lines(
  entries: ReadonlyArray<MolEntry>,
  index: TradeIndex,
  slices: Slices,
  { order, lineCount }: LineOrder,
  after: Float64Array,
  spans: number,
  firstIndex: number,
  endIndex: number,
): MeritOrderLine[] {
  const { rows, count, buyerRow, sellerRow, quantityKw, tradeIds } = index;
  const width = Math.max(0, endIndex - firstIndex);
  const out: MeritOrderLine[] = [];
  for (let l = 0; l < lineCount; l += 1) {
    const code = order[l]!;
    const curtailmentKw = copyOf(after, l * spans, spans);
    if (code < rows) {
      const entry = entries[code]!;
      out.push({
        curtailmentOrder: l + 1,
        entryId: entry.entryId,
        parentEntryId: entry.entryId,
        resourceId: entry.resourceId,
        capacityKw: entry.capacityKw,
        forecastKw: entry.forecastKw.slice(firstIndex, endIndex),
        curtailmentKw,
      });
    } else if (code < 2 * rows) {
      const row = code - rows;
      const entry = entries[row]!;
      out.push({
        curtailmentOrder: l + 1,
        entryId: `${entry.entryId}/rem`,
        parentEntryId: entry.entryId,
        resourceId: entry.resourceId,
        capacityKw: Math.max(0, slices.remainderCapacityKw[row]!),
        forecastKw: copyOf(slices.remainderKw, row * width, width),
        curtailmentKw,
      });
    } else {
      const buyerSlice = code < 2 * rows + count;
      const k = buyerSlice ? code - 2 * rows : code - 2 * rows - count;
      const tradeId = tradeIds[k]!;
      const entry = entries[buyerSlice ? buyerRow[k]! : sellerRow[k]!]!;
      const line: MeritOrderLine = {
        curtailmentOrder: l + 1,
        entryId: `${entry.entryId}/${tradeId}`,
        parentEntryId: entry.entryId,
        resourceId: entry.resourceId,
        capacityKw: quantityKw[k]!,
        forecastKw: copyOf(slices.sliceKw, k * width, width),
        curtailmentKw,
      };
      if (tradeId) line.tradeId = tradeId;
      out.push(line);
    }
  }
  return out;
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
  entries: ReadonlyArray<MolEntry>,
): void {
  for (let i = from + 1; i < to; i += 1) {
    const k = list[i]!;
    const order = entries[counterpartyRow[k]!]!.curtailmentOrder;
    let j = i - 1;
    while (j >= from) {
      const other = list[j]!;
      if (!((entries[counterpartyRow[other]!]!.curtailmentOrder - order || other - k) > 0)) break;
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
