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

interface Parts {
  entry: MolEntry;
  buys: Trade[];
  sells: Trade[];
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
  const window = (values: ReadonlyArray<number>) => values.slice(firstIndex, endIndex);
  const parts = new Map<string, Parts>(
    mol.entries.map((e) => [e.entryId, { entry: e, buys: [], sells: [] }]),
  );
  for (const t of trades) {
    const buyer = parts.get(t.buyEntryId);
    const seller = parts.get(t.sellEntryId);
    if (!buyer || !seller)
      throw new DomainError(
        "TRADE_OUTSIDE_MOL",
        `Trade ${t.tradeId} names an entry that is not in the MOL of constraint ${mol.constraintId}.`,
      );
    buyer.buys.push(t);
    seller.sells.push(t);
  }

  // R-REORDER-1/2: slices. Buyer slices take the buyer's forecast in matching order.
  const slice = new Map<string, { buyer: MeritOrderLine; seller: MeritOrderLine }>();
  const remainder = new Map<string, MeritOrderLine | undefined>();
  for (const p of parts.values()) {
    if (p.buys.length > 0 && p.sells.length > 0)
      throw new DomainError(
        "ENTRY_BOTH_SIDES",
        `Entry ${p.entry.entryId} is both buyer and seller in one window (R-ELIG-4).`,
      );
    if (p.buys.length === 0) continue;
    const left = window(p.entry.forecastKw);
    for (const t of p.buys) {
      const forecastKw = left.map((f, i) => {
        const take = Math.min(f, t.quantityKw);
        left[i] = f - take;
        return take;
      });
      const buyerLine = line(
        p.entry,
        `${p.entry.entryId}/${t.tradeId}`,
        t.tradeId,
        t.quantityKw,
        forecastKw,
      );
      const sellerEntry = parts.get(t.sellEntryId)!.entry;
      const sellerLine = line(
        sellerEntry,
        `${sellerEntry.entryId}/${t.tradeId}`,
        t.tradeId,
        t.quantityKw,
        [...forecastKw],
      );
      slice.set(t.tradeId, { buyer: buyerLine, seller: sellerLine });
    }
    remainder.set(p.entry.entryId, remainderLine(p.entry, p.buys, left));
  }
  for (const p of parts.values()) {
    if (p.sells.length === 0) continue;
    const left = window(p.entry.forecastKw);
    for (const t of p.sells) {
      const taken = slice.get(t.tradeId)!.seller.forecastKw;
      taken.forEach((f, i) => {
        left[i] = Math.max(0, left[i]! - f);
      });
    }
    remainder.set(p.entry.entryId, remainderLine(p.entry, p.sells, left));
  }

  // R-REORDER-3: the new order.
  const matchRank = new Map(trades.map((t, i) => [t.tradeId, i]));
  const byMatch = (a: Trade, b: Trade) => matchRank.get(a.tradeId)! - matchRank.get(b.tradeId)!;
  const orderOf = (entryId: string) => parts.get(entryId)!.entry.curtailmentOrder;
  const lines: MeritOrderLine[] = [];
  for (const entry of mol.entries) {
    const p = parts.get(entry.entryId)!;
    if (p.buys.length > 0) {
      const rem = remainder.get(entry.entryId);
      if (rem) lines.push(rem);
      const sellersFirst = [...p.buys].sort(
        (a, b) => orderOf(a.sellEntryId) - orderOf(b.sellEntryId) || byMatch(a, b),
      );
      for (const t of sellersFirst) lines.push(slice.get(t.tradeId)!.seller);
    } else if (p.sells.length > 0) {
      const buyersFirst = [...p.sells].sort(
        (a, b) => orderOf(a.buyEntryId) - orderOf(b.buyEntryId) || byMatch(a, b),
      );
      for (const t of buyersFirst) lines.push(slice.get(t.tradeId)!.buyer);
      const rem = remainder.get(entry.entryId);
      if (rem) lines.push(rem);
    } else {
      lines.push(line(entry, entry.entryId, undefined, entry.capacityKw, window(entry.forecastKw)));
    }
  }
  lines.forEach((l, i) => {
    l.curtailmentOrder = i + 1;
  });

  // R-REORDER-4: recalculated curtailment on the new MOL.
  const after = allocate(lines, requiredKw);
  lines.forEach((l, i) => {
    l.curtailmentKw = after.curtailmentKw[i]!;
  });

  // R-REORDER-5: neutrality for every entry in no trade.
  const before = allocate(
    mol.entries.map((e) => ({
      curtailmentOrder: e.curtailmentOrder,
      forecastKw: window(e.forecastKw),
    })),
    requiredKw,
  );
  const lineOf = new Map(lines.map((l) => [l.entryId, l]));
  mol.entries.forEach((e, row) => {
    const p = parts.get(e.entryId)!;
    if (p.buys.length > 0 || p.sells.length > 0) return;
    const now = lineOf.get(e.entryId)!.curtailmentKw;
    before.curtailmentKw[row]!.forEach((c, i) => {
      if (now[i] !== c)
        throw new NeutralityViolationError(mol.constraintId, e.entryId, firstIndex + i + 1);
    });
  });
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
function remainderLine(entry: MolEntry, trades: ReadonlyArray<Trade>, forecastKw: number[]) {
  const capacityKw = entry.capacityKw - trades.reduce((s, t) => s + t.quantityKw, 0);
  if (capacityKw <= 0 && forecastKw.every((f) => f <= 0)) return undefined;
  return line(entry, `${entry.entryId}/rem`, undefined, Math.max(0, capacityKw), forecastKw);
}
