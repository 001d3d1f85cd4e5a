import { allocate } from "../allocation/allocate";
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
  const result: ConstraintMeritOrder[] = [];
  for (const constraint of lookAhead.constraints) {
    const mol = lookAhead.mols.get(constraint.constraintId);
    const applying = placed
      .filter((p) => p.constraintIds.includes(constraint.constraintId))
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
 */
export function reorderWindow(
  mol: Mol,
  requiredKw: ReadonlyArray<number>,
  firstIndex: number,
  endIndex: number,
  trades: ReadonlyArray<Trade>,
): MeritOrderLine[] {
  const entries = mol.entries;
  const width = endIndex - firstIndex;
  const rowOf = new Map<string, number>();
  entries.forEach((e, row) => {
    rowOf.set(e.entryId, row);
  });
  // Per row, the indexes (into `trades`, so in matching order) of its trades on each side.
  const buys: (number[] | undefined)[] = new Array(entries.length);
  const sells: (number[] | undefined)[] = new Array(entries.length);
  const buyerRow = new Int32Array(trades.length);
  const sellerRow = new Int32Array(trades.length);
  trades.forEach((t, k) => {
    const b = rowOf.get(t.buyEntryId);
    const s = rowOf.get(t.sellEntryId);
    if (b === undefined || s === undefined)
      throw new DomainError(
        "TRADE_OUTSIDE_MOL",
        `Trade ${t.tradeId} names an entry that is not in the MOL of constraint ${mol.constraintId}.`,
      );
    buyerRow[k] = b;
    sellerRow[k] = s;
    const bought = buys[b];
    if (bought) bought.push(k);
    else buys[b] = [k];
    const sold = sells[s];
    if (sold) sold.push(k);
    else sells[s] = [k];
  });

  // R-REORDER-1/2: slices. A buyer's forecast goes to its slices in matching order; the seller's
  // slice of a trade carries the same MW as the buyer's slice of it.
  const buyerLine: MeritOrderLine[] = new Array(trades.length);
  const sellerLine: MeritOrderLine[] = new Array(trades.length);
  const remainder: (MeritOrderLine | undefined)[] = new Array(entries.length);
  for (let row = 0; row < entries.length; row += 1) {
    const mine = buys[row];
    if (!mine) continue;
    const entry = entries[row]!;
    if (sells[row])
      throw new DomainError(
        "ENTRY_BOTH_SIDES",
        `Entry ${entry.entryId} is both buyer and seller in one window (R-ELIG-4).`,
      );
    const left = entry.forecastKw.slice(firstIndex, endIndex);
    let traded = 0;
    for (const k of mine) {
      const t = trades[k]!;
      traded += t.quantityKw;
      const forecastKw = new Array<number>(width);
      for (let i = 0; i < width; i += 1) {
        const take = Math.min(left[i]!, t.quantityKw);
        left[i] = left[i]! - take;
        forecastKw[i] = take;
      }
      buyerLine[k] = line(
        entry,
        `${entry.entryId}/${t.tradeId}`,
        t.tradeId,
        t.quantityKw,
        forecastKw,
      );
      const seller = entries[sellerRow[k]!]!;
      sellerLine[k] = line(
        seller,
        `${seller.entryId}/${t.tradeId}`,
        t.tradeId,
        t.quantityKw,
        forecastKw.slice(),
      );
    }
    remainder[row] = remainderLine(entry, traded, left);
  }
  for (let row = 0; row < entries.length; row += 1) {
    const mine = sells[row];
    if (!mine) continue;
    const entry = entries[row]!;
    const left = entry.forecastKw.slice(firstIndex, endIndex);
    let traded = 0;
    for (const k of mine) {
      traded += trades[k]!.quantityKw;
      const taken = sellerLine[k]!.forecastKw;
      for (let i = 0; i < width; i += 1) left[i] = Math.max(0, left[i]! - taken[i]!);
    }
    remainder[row] = remainderLine(entry, traded, left);
  }

  // R-REORDER-3: the new order. A buyer emits its remainder, then the sellers' slices by the
  // sellers' original order (then matching order); a seller emits the buyers' slices by the
  // buyers' original order (then matching order), then its remainder; others stay as they are.
  const byCounterparty = (rows: Int32Array) => (a: number, b: number) =>
    entries[rows[a]!]!.curtailmentOrder - entries[rows[b]!]!.curtailmentOrder || a - b;
  const lines: MeritOrderLine[] = [];
  const untradedLine = new Int32Array(entries.length).fill(-1);
  for (let row = 0; row < entries.length; row += 1) {
    const entry = entries[row]!;
    const mineBuys = buys[row];
    const mineSells = sells[row];
    if (mineBuys) {
      const rem = remainder[row];
      if (rem) lines.push(rem);
      const ks = mineBuys.length > 1 ? [...mineBuys].sort(byCounterparty(sellerRow)) : mineBuys;
      for (const k of ks) lines.push(sellerLine[k]!);
    } else if (mineSells) {
      const ks = mineSells.length > 1 ? [...mineSells].sort(byCounterparty(buyerRow)) : mineSells;
      for (const k of ks) lines.push(buyerLine[k]!);
      const rem = remainder[row];
      if (rem) lines.push(rem);
    } else {
      untradedLine[row] = lines.length;
      lines.push(
        line(
          entry,
          entry.entryId,
          undefined,
          entry.capacityKw,
          entry.forecastKw.slice(firstIndex, endIndex),
        ),
      );
    }
  }
  for (let i = 0; i < lines.length; i += 1) lines[i]!.curtailmentOrder = i + 1;

  // R-REORDER-4: recalculated curtailment on the new MOL.
  const after = allocate(lines, requiredKw);
  for (let i = 0; i < lines.length; i += 1) lines[i]!.curtailmentKw = after.curtailmentKw[i]!;

  // R-REORDER-5: neutrality for every entry in no trade.
  const before = allocate(entries, requiredKw, firstIndex);
  for (let row = 0; row < entries.length; row += 1) {
    const at = untradedLine[row]!;
    if (at < 0) continue;
    const was = before.curtailmentKw[row]!;
    const now = lines[at]!.curtailmentKw;
    for (let i = 0; i < width; i += 1)
      if (now[i] !== was[i])
        throw new NeutralityViolationError(
          mol.constraintId,
          entries[row]!.entryId,
          firstIndex + i + 1,
        );
  }
  return lines;
}

function line(
  entry: MolEntry,
  entryId: string,
  tradeId: string | undefined,
  capacityKw: number,
  forecastKw: number[],
): MeritOrderLine {
  const l: MeritOrderLine = {
    curtailmentOrder: 0,
    entryId,
    parentEntryId: entry.entryId,
    resourceId: entry.resourceId,
    capacityKw,
    forecastKw,
    curtailmentKw: [],
  };
  if (tradeId) l.tradeId = tradeId;
  return l;
}

/**
 * R-REORDER-1: `E/rem` has the entry's capacity minus its traded quantity. It is omitted when
 * that capacity is 0 and it carries no forecast in the window (decision D-5).
 */
function remainderLine(entry: MolEntry, tradedKw: number, forecastKw: number[]) {
  const capacityKw = entry.capacityKw - tradedKw;
  if (capacityKw <= 0 && forecastKw.every((f) => f <= 0)) return undefined;
  return line(entry, `${entry.entryId}/rem`, undefined, Math.max(0, capacityKw), forecastKw);
}
