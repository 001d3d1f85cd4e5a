import type { Rational } from "./rational";

/**
 * R-UNIT-3: meter readings, nominations, baselines and delivered power are integer watts
 * (average over the SP). Inputs carry at most 3 decimals, so every conversion below is an exact
 * integer; derived values are {@link Rational} watts. An SP's energy is power × ½ h.
 */

/** MW (≤ 3 dp) → integer W. */
export function mwToW(mw: number): number {
  return Math.round(mw * 1_000_000);
}

/** kW (≤ 3 dp) → integer W. */
export function kwToW(kw: number): number {
  return Math.round(kw * 1000);
}

/** kWh in one SP (≤ 3 dp) → average integer W over the SP (kWh × 2000). */
export function kwhPerSpToW(kwh: number): number {
  return Math.round(kwh * 2000);
}

/** Integer kW of the MOL and ANM world → W. */
export function kwIntToW(kw: number): number {
  return kw * 1000;
}
