import type { GateClosureRule, SchemeSettings } from "./market-config";
import type { PostTradeConfigInput } from "./post-trade-config-schema";
import type { SchemeConfigInput } from "./scheme-config-schema";

export type { SchemeConfigInput, SchemeVersionBody } from "./scheme-config-schema";

/** The settings a stored version gives the rules: fractions in thousandths, money in pence (D-13). */
export function settingsOfVersion(version: number, config: SchemeConfigInput): SchemeSettings {
  const market: {
    deratingPermille?: number;
    priceCapPence?: number;
    gateClosure?: GateClosureRule;
  } = {};
  if (config.deratingFactor !== undefined)
    market.deratingPermille = Math.round(config.deratingFactor * 1000);
  if (config.priceCapGbp !== undefined) market.priceCapPence = Math.round(config.priceCapGbp * 100);
  if (config.gateClosure !== undefined) market.gateClosure = { ...config.gateClosure };
  const {
    gateClosure: _g,
    deratingFactor: _k,
    priceCapGbp: _cap,
    ...postTrade
  } = config as SchemeConfigInput & Record<string, unknown>;
  return { version, market, postTrade: postTrade as PostTradeConfigInput };
}
