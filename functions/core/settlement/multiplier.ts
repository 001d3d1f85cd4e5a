import type { PostTradeConfig } from "../config/post-trade-config";
import { Rational } from "../model/rational";

/**
 * R-SETTLE-2 performance multiplier PM(r), exact. `linear` (default): 1 if r ≥ 1 − GF;
 * (r − floor)/(1 − GF − floor) if floor ≤ r < 1 − GF; 0 below the floor. `step`: 1 if
 * r ≥ 1 − GF, else 0. No test (r null, R-PERF-9): 1.
 */
export function performanceMultiplier(
  ratio: Rational | null,
  config: Pick<PostTradeConfig, "graceFactorPermille" | "performanceFloorPermille" | "pmMode">,
): Rational {
  if (ratio === null) return Rational.ONE;
  const full = Rational.of(1000 - config.graceFactorPermille, 1000);
  if (ratio.cmp(full) >= 0) return Rational.ONE;
  if (config.pmMode === "step") return Rational.ZERO;
  const floor = Rational.of(config.performanceFloorPermille, 1000);
  if (ratio.cmp(floor) < 0) return Rational.ZERO;
  return ratio.sub(floor).div(full.sub(floor));
}
