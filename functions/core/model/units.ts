/**
 * Unit conversions at the edges of the core (R-UNIT-1, R-UNIT-2). Inside the core power is an
 * integer number of kW and money an integer number of pence; MW and GBP exist only in inputs and
 * outputs.
 */

/** Largest power value accepted anywhere, in MW: far above any distribution-connected site. */
export const MAX_MW = 1_000_000;

/** Largest price accepted by the schema before the scheme's own cap applies, in GBP. */
export const MAX_GBP = 1_000_000;

/** True when `value` has at most `decimals` decimal places (tolerating binary float noise). */
export function hasAtMostDecimals(value: number, decimals: number): boolean {
  if (!Number.isFinite(value)) return false;
  // D-148: count the decimals of the number as written — JavaScript's shortest representation
  // that reads back as the same double, which is the JSON text a client sent — instead of a
  // relative tolerance, which let 123456.78901 pass as 3 decimals.
  const [digits = "", exponent = "0"] = String(Math.abs(value)).split("e");
  const fraction = digits.split(".")[1] ?? "";
  return Math.max(0, fraction.length - Number(exponent)) <= decimals;
}

/** MW with ≤ 3 decimals → integer kW (R-UNIT-1). Callers validate the decimals first. */
export function mwToKw(mw: number): number {
  return Math.round(mw * 1000);
}

/** Integer kW → MW for output. */
export function kwToMw(kw: number): number {
  return kw / 1000;
}

/** GBP with ≤ 2 decimals → integer pence (R-UNIT-2). Callers validate the decimals first. */
export function gbpToPence(gbp: number): number {
  return Math.round(gbp * 100);
}

/** Integer pence → GBP for output. */
export function penceToGbp(pence: number): number {
  return pence / 100;
}
