import { hash } from "node:crypto";

/**
 * Deterministic identifiers: the same parts always give the same id, so a re-run step never
 * creates a second object (R-EVENT-2, R-MATCH-5). 80 bits of SHA-256, hex, behind a readable prefix.
 */
export function deterministicId(prefix: string, ...parts: ReadonlyArray<string | number>): string {
  let text = "";
  for (const part of parts) text += `${part}\u001f`;
  return `${prefix}-${hash("sha256", text, "hex").slice(0, 20)}`;
}

/** R-EVENT-2: market id from scheme, day, constraint and window start. */
export function marketIdOf(
  anmSchemeId: string,
  deliveryDate: string,
  constraintId: string,
  windowStartMs: number,
): string {
  return deterministicId("mkt", anmSchemeId, deliveryDate, constraintId, windowStartMs);
}

/** R-MATCH-5: trade id from market, bid and offer. */
export function tradeIdOf(marketId: string, bidOrderId: string, offerOrderId: string): string {
  // deterministicId("trd", marketId, bidOrderId, offerOrderId) without the rest-parameter array
  // and loop: one id per trade, so this is on the matching engine's hot path.
  const text = `${marketId}\u001f${bidOrderId}\u001f${offerOrderId}\u001f`;
  return `trd-${hash("sha256", text, "hex").slice(0, 20)}`;
}

/** R-ELIG-6: one opportunity per (market, entry, side). */
export function opportunityIdOf(marketId: string, entryId: string, side: string): string {
  return deterministicId("opp", marketId, entryId, side);
}
