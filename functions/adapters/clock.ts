import type { Clock } from "../core/ports";

/** The wall clock. Tests inject their own {@link Clock}. */
export const systemClock: Clock = { nowMs: () => Date.now() };
