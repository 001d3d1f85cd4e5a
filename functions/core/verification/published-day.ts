import { NeutralityViolationError } from "../errors";
import type { PlatformEvent } from "../events/platform-event";
import { publicationEvents } from "../events/publication-events";
import { tradeConfirmedEvents } from "../events/trade-events";
import type { Trade } from "../matching/match";
import type { ConstraintMeritOrder } from "../merit-order/reorder";
import type { LookAhead } from "../model/look-ahead";
import type { DayAheadBook } from "../opportunities/derive";
import type { ServiceType } from "../orders/order";
import { placeTrades, reorderDay } from "../use-cases/day-ahead";
import type { DayTrade, MeritOrderVersion, PostTradeDay } from "./day";

/**
 * The day as the day-ahead cycle leaves it at publication (§10, D-28): version 1 of every
 * constraint of the look-ahead (segments where trades apply; the MOL as sent where none), every
 * trade confirmed and applied to its market's constraint and the R-ELIG-5 shared ones. If
 * R-REORDER-5 fails the original MOL is published as the fallback (D-17) and no trade takes effect
 * (D-298). Returns the day and the events of the publication: `trade.confirmed` to each party and
 * R-DISPATCH-2's.
 */
export function publishedDay(input: {
  lookAhead: LookAhead;
  book: DayAheadBook;
  /** The day's trades in matching order. */
  trades: ReadonlyArray<Trade>;
  /** R-ORDER-1 service type of each trade's offer, by trade id. */
  serviceTypes: ReadonlyMap<string, ServiceType>;
  owners: ReadonlyMap<string, string>;
  publishedAtMs: number;
}): { day: PostTradeDay; events: PlatformEvent[] } {
  const { lookAhead, book } = input;
  let meritOrders: ConstraintMeritOrder[] = [];
  let fallback = false;
  try {
    meritOrders = reorderDay(lookAhead, book, input.trades);
  } catch (error) {
    if (!(error instanceof NeutralityViolationError)) throw error;
    fallback = true;
  }
  const markets = new Map(book.markets.map((m) => [m.marketId, m]));
  // D-298: the fallback publishes no trade; none of them takes effect.
  const trades = placeTrades(book, fallback ? [] : input.trades).map(
    (p): DayTrade => ({
      trade: p.trade,
      market: markets.get(p.trade.marketId)!,
      serviceType: input.serviceTypes.get(p.trade.tradeId) ?? "generation-turn-down",
      constraintIds: [...new Set(p.constraintIds)],
      status: "confirmed",
    }),
  );
  const segments = new Map(meritOrders.map((m) => [m.constraintId, m.segments]));
  const versions = lookAhead.constraints.map(
    (c): MeritOrderVersion => ({
      constraintId: c.constraintId,
      version: 1,
      reason: fallback ? "fallback" : "day-ahead",
      supersedesVersion: null,
      cancelledTradeIds: [],
      segments: segments.get(c.constraintId) ?? [],
      publishedAtMs: input.publishedAtMs,
    }),
  );
  const day: PostTradeDay = {
    lookAhead,
    markets: book.markets,
    trades,
    versions,
    changes: [],
    vetoes: [],
    owners: input.owners,
  };
  const events = [
    ...tradeConfirmedEvents(day, input.publishedAtMs),
    ...versions.flatMap((v) => publicationEvents(day, v, undefined)),
  ];
  return { day, events };
}
