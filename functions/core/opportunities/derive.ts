import { allocate } from "../allocation/allocate";
import type { MarketConfig } from "../config/market-config";
import { marketIdOf, opportunityIdOf } from "../model/ids";
import type { Constraint, LookAhead, MolEntry } from "../model/look-ahead";
import { windowsOverlap } from "../model/settlement-periods";
import { type ConstraintEvent, findEvents } from "./events";

/** Which side of a market an entry is on. */
export type Side = "buy" | "sell";

/**
 * What the market knows about who may trade an entry (R-ELIG-1): present only for entries claimed
 * by a qualified asset of an approved participant.
 */
export interface EntryClaim {
  entryId: string;
  participantId: string;
  assetId: string;
  /** Flexible-service contract windows from the asset's registration. */
  flexibleServiceWindows: ReadonlyArray<{ startMs: number; endMs: number }>;
}

/** A market (R-EVENT-2): one per constraint event. */
export interface Market {
  marketId: string;
  anmSchemeId: string;
  deliveryDate: string;
  constraintId: string;
  windowStartMs: number;
  windowEndMs: number;
  /** 0-based SP indexes [firstIndex, endIndex) of the window in the delivery day. */
  firstIndex: number;
  endIndex: number;
  constraintSizeKw: number;
  energyWh: number;
  gateClosureMs: number;
  depth: { buyKw: number; sellKw: number };
}

/** A trading opportunity (R-ELIG-6): one (market, entry, side). */
export interface Opportunity {
  opportunityId: string;
  marketId: string;
  constraintId: string;
  entryId: string;
  assetId: string;
  participantId: string;
  side: Side;
  windowStartMs: number;
  windowEndMs: number;
  constraintSizeKw: number;
  /** Predicted curtailment per SP of the window, kW. */
  predictedCurtailmentKw: number[];
  curtailmentOrder: number;
  /** Σ forecast of entries curtailed before this one at the event's peak SP, kW. */
  mwAheadKw: number;
  maxQuantityKw: number;
  /**
   * R-ELIG-5: the other constraints whose MOL holds this entry and which have an event
   * overlapping the window, sorted. A buyer and a seller trade only if these are equal.
   */
  sharedConstraintIds: string[];
}

/** Everything the cycle derives from a look-ahead before trading opens. */
export interface DayAheadBook {
  markets: Market[];
  opportunities: Opportunity[];
  /** R-ALLOC-2 flags for the operator: 1-based SP. */
  unresolvable: { constraintId: string; sp: number; shortfallKw: number }[];
}

/**
 * Derives markets and opportunities from a validated look-ahead: R-ALLOC (predicted curtailment),
 * R-EVENT (one market per event), R-ELIG-1..6 (eligibility, sides, quantities, depth), in named
 * phases. Markets come out in (window start, constraint id) order; opportunities by market, then
 * side (buy first), then curtailment order.
 */
export function deriveOpportunities(
  lookAhead: LookAhead,
  claims: ReadonlyMap<string, EntryClaim>,
  config: MarketConfig,
): DayAheadBook {
  const curtailment = predictCurtailment(lookAhead);
  const shared = sharedConstraints(lookAhead, curtailment.events);
  const markets: Market[] = [];
  const candidates: Opportunity[] = [];
  for (const constraint of [...lookAhead.constraints].sort((a, b) =>
    cmp(a.constraintId, b.constraintId),
  )) {
    const curtailedKw = curtailment.curtailedKw.get(constraint.constraintId)!;
    for (const event of curtailment.events.get(constraint.constraintId) ?? []) {
      const market = marketOf(lookAhead, constraint, event);
      markets.push(market);
      candidates.push(
        ...opportunitiesIn(market, event, lookAhead, curtailedKw, claims, config, shared),
      );
    }
  }
  const opportunities = withoutOverlappingSells(candidates);
  addDepth(markets, opportunities);
  sortBook(markets, opportunities);
  return { markets, opportunities, unresolvable: curtailment.unresolvable };
}

/** R-ALLOC per constraint over the whole day (rows follow the MOL), and R-EVENT-1 events. */
function predictCurtailment(lookAhead: LookAhead) {
  const curtailedKw = new Map<string, number[][]>();
  const events = new Map<string, ConstraintEvent[]>();
  const unresolvable: DayAheadBook["unresolvable"] = [];
  for (const constraint of lookAhead.constraints) {
    const mol = lookAhead.mols.get(constraint.constraintId);
    const allocation = allocate(mol?.entries ?? [], constraint.requiredKw);
    curtailedKw.set(constraint.constraintId, allocation.curtailmentKw);
    for (const u of allocation.unresolvable)
      unresolvable.push({
        constraintId: constraint.constraintId,
        sp: u.index + 1,
        shortfallKw: u.shortfallKw,
      });
    events.set(constraint.constraintId, findEvents(constraint, lookAhead.day));
  }
  return { curtailedKw, events, unresolvable };
}

/** R-ELIG-5: for an entry in a window, the other constraints holding it with an overlapping event. */
type SharedConstraints = (entryId: string, own: string, startMs: number, endMs: number) => string[];

function sharedConstraints(
  lookAhead: LookAhead,
  events: ReadonlyMap<string, ConstraintEvent[]>,
): SharedConstraints {
  const constraintsOfEntry = new Map<string, string[]>();
  for (const mol of lookAhead.mols.values())
    for (const e of mol.entries) {
      const list = constraintsOfEntry.get(e.entryId) ?? [];
      list.push(mol.constraintId);
      constraintsOfEntry.set(e.entryId, list);
    }
  return (entryId, own, startMs, endMs) =>
    (constraintsOfEntry.get(entryId) ?? [])
      .filter((c) => c !== own)
      .filter((c) =>
        (events.get(c) ?? []).some((ev) =>
          windowsOverlap(ev.windowStartMs, ev.windowEndMs, startMs, endMs),
        ),
      )
      .sort();
}

/** R-EVENT-2: the market of one constraint event. */
function marketOf(lookAhead: LookAhead, constraint: Constraint, event: ConstraintEvent): Market {
  return {
    marketId: marketIdOf(
      lookAhead.anmSchemeId,
      lookAhead.deliveryDate,
      constraint.constraintId,
      event.windowStartMs,
    ),
    anmSchemeId: lookAhead.anmSchemeId,
    deliveryDate: lookAhead.deliveryDate,
    constraintId: constraint.constraintId,
    windowStartMs: event.windowStartMs,
    windowEndMs: event.windowEndMs,
    firstIndex: event.firstIndex,
    endIndex: event.endIndex,
    constraintSizeKw: event.sizeKw,
    energyWh: event.energyWh,
    gateClosureMs: lookAhead.gateClosureMs,
    depth: { buyKw: 0, sellKw: 0 },
  };
}

/**
 * R-ELIG-1..6 for each entry of the market's MOL: eligible, on a side, with its max quantity
 * (R-ELIG-3 derating for sellers, D-13) and MW ahead (D-8); a 0 kW opportunity is not offered
 * (D-10).
 */
function opportunitiesIn(
  market: Market,
  event: ConstraintEvent,
  lookAhead: LookAhead,
  curtailedKw: ReadonlyArray<ReadonlyArray<number>>,
  claims: ReadonlyMap<string, EntryClaim>,
  config: MarketConfig,
  shared: SharedConstraints,
): Opportunity[] {
  const entries = lookAhead.mols.get(market.constraintId)?.entries ?? [];
  const out: Opportunity[] = [];
  entries.forEach((entry, row) => {
    const claim = claims.get(entry.entryId);
    if (!claim || !isEligible(entry, claim, market)) return;
    const side = sideOf(entry, curtailedKw[row]!, market);
    if (!side) return;
    const mwAheadKw = entries
      .slice(0, row)
      .reduce((sum, ahead) => sum + (ahead.forecastKw[event.peakIndex] ?? 0), 0);
    const window = entry.forecastKw.slice(event.firstIndex, event.endIndex);
    const curtailed = curtailedKw[row]!.slice(event.firstIndex, event.endIndex);
    const maxQuantityKw =
      side === "buy"
        ? Math.max(...curtailed)
        : Math.floor((config.deratingPermille * Math.min(...window)) / 1000);
    if (maxQuantityKw <= 0) return;
    out.push({
      opportunityId: opportunityIdOf(market.marketId, entry.entryId, side),
      marketId: market.marketId,
      constraintId: market.constraintId,
      entryId: entry.entryId,
      assetId: claim.assetId,
      participantId: claim.participantId,
      side,
      windowStartMs: market.windowStartMs,
      windowEndMs: market.windowEndMs,
      constraintSizeKw: market.constraintSizeKw,
      predictedCurtailmentKw: curtailed,
      curtailmentOrder: entry.curtailmentOrder,
      mwAheadKw,
      maxQuantityKw,
      sharedConstraintIds: shared(
        entry.entryId,
        market.constraintId,
        market.windowStartMs,
        market.windowEndMs,
      ),
    });
  });
  return out;
}

/**
 * D-4: an entry that is a buyer in one market is not offered a sell opportunity in another market
 * whose window overlaps, so that every entry has one role at any instant.
 */
function withoutOverlappingSells(candidates: Opportunity[]): Opportunity[] {
  const buyWindows = new Map<string, Opportunity[]>();
  for (const o of candidates) {
    if (o.side !== "buy") continue;
    const list = buyWindows.get(o.entryId);
    if (list) list.push(o);
    else buyWindows.set(o.entryId, [o]);
  }
  return candidates.filter(
    (o) =>
      o.side === "buy" ||
      !(buyWindows.get(o.entryId) ?? []).some((b) =>
        windowsOverlap(b.windowStartMs, b.windowEndMs, o.windowStartMs, o.windowEndMs),
      ),
  );
}

/** D-9: a market's depth is the sum of the max quantities actually offered on each side. */
function addDepth(markets: Market[], opportunities: ReadonlyArray<Opportunity>): void {
  const byMarket = new Map(markets.map((m) => [m.marketId, m]));
  for (const o of opportunities) {
    const m = byMarket.get(o.marketId)!;
    if (o.side === "buy") m.depth.buyKw += o.maxQuantityKw;
    else m.depth.sellKw += o.maxQuantityKw;
  }
}

/** Markets by (window start, constraint); opportunities by market, side (buy first), MOL order. */
function sortBook(markets: Market[], opportunities: Opportunity[]): void {
  markets.sort((a, b) => a.windowStartMs - b.windowStartMs || cmp(a.constraintId, b.constraintId));
  const marketRank = new Map(markets.map((m, i) => [m.marketId, i]));
  opportunities.sort(
    (a, b) =>
      marketRank.get(a.marketId)! - marketRank.get(b.marketId)! ||
      (a.side === b.side ? 0 : a.side === "buy" ? -1 : 1) ||
      a.curtailmentOrder - b.curtailmentOrder,
  );
}

/** R-ELIG-1: tradable, claimed (checked by the caller), no flexible-service window overlapping. */
function isEligible(entry: MolEntry, claim: EntryClaim, market: Market): boolean {
  if (!entry.tradable) return false;
  const windows = [...entry.flexibleServiceWindows, ...claim.flexibleServiceWindows];
  return !windows.some((w) =>
    windowsOverlap(w.startMs, w.endMs, market.windowStartMs, market.windowEndMs),
  );
}

/**
 * R-ELIG-2/3/4: buyer when curtailed in some SP of the window; seller when curtailed in none
 * and forecast > 0 in all; otherwise neither. The two tests exclude each other.
 */
function sideOf(
  entry: MolEntry,
  curtailmentKw: ReadonlyArray<number>,
  market: Market,
): Side | undefined {
  let curtailed = false;
  let alwaysProducing = true;
  for (let i = market.firstIndex; i < market.endIndex; i += 1) {
    if ((curtailmentKw[i] ?? 0) > 0) curtailed = true;
    if ((entry.forecastKw[i] ?? 0) <= 0) alwaysProducing = false;
  }
  if (curtailed) return "buy";
  return alwaysProducing ? "sell" : undefined;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
