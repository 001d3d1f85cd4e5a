/**
 * The day-ahead settings of a scheme and their defaults (market-rules v1). This module is the
 * only place the defaults are read: a use case asks the scheme-configuration port for what the
 * scheme has stored ({@link SchemeSettings}) and {@link marketConfigOf} fills in the rest.
 */

import type { PostTradeConfigInput } from "./post-trade-config";

/** R-GATE-1: when gate closure falls when the look-ahead does not give one. */
export interface GateClosureRule {
  /** Days before the delivery day, 1–7. */
  daysBefore: number;
  /** Local (Europe/London) wall-clock time `HH:MM` on that day. */
  localTime: string;
}

/** Scheme settings that reasonable operators set differently. */
export interface MarketConfig {
  /** R-ELIG-3 forecast derating factor k in thousandths (1000 = 1.0, D-13). */
  deratingPermille: number;
  /** R-ORDER-1 price cap per price component, pence (D-12). */
  priceCapPence: number;
  /** D-142: the most markets (constraint events) one look-ahead may open; more is 422. */
  maxMarketsPerLookAhead: number;
  /** R-GATE-1 default gate closure. */
  gateClosure: GateClosureRule;
}

/** What a scheme has set for a delivery day; a field it has not set takes its default. */
export interface SchemeSettings {
  /** The version of the scheme's configuration in force, if the scheme has stored one. */
  readonly version?: number;
  readonly market?: Partial<MarketConfig>;
  /** The §18 fields as the scheme set them (validated); the rest take their defaults. */
  readonly postTrade?: PostTradeConfigInput;
}

/**
 * Defaults: k = 1.0 (R-ELIG-3), price cap £10,000 (R-ORDER-1), at most 1,000 markets per
 * look-ahead (D-142), gate closure 12:00 local on the day before delivery (R-GATE-1). Use cases
 * read them only through {@link marketConfigOf}.
 */
export const DEFAULT_MARKET_CONFIG: Readonly<MarketConfig> = {
  deratingPermille: 1000,
  priceCapPence: 1_000_000,
  maxMarketsPerLookAhead: 1_000,
  gateClosure: { daysBefore: 1, localTime: "12:00" },
};

/** The day-ahead configuration a scheme runs under: its own settings over the defaults. */
export function marketConfigOf(settings?: SchemeSettings): MarketConfig {
  const own = settings?.market ?? {};
  return {
    deratingPermille: own.deratingPermille ?? DEFAULT_MARKET_CONFIG.deratingPermille,
    priceCapPence: own.priceCapPence ?? DEFAULT_MARKET_CONFIG.priceCapPence,
    maxMarketsPerLookAhead:
      own.maxMarketsPerLookAhead ?? DEFAULT_MARKET_CONFIG.maxMarketsPerLookAhead,
    gateClosure: own.gateClosure ?? DEFAULT_MARKET_CONFIG.gateClosure,
  };
}
