/** Result of R-ALLOC for one constraint over a run of settlement periods. */
export interface Allocation {
  /** Predicted curtailment per entry (same order as the input entries) per SP index, kW. */
  curtailmentKw: number[][];
  /** SP indexes (0-based, within the given arrays) left with required curtailment (R-ALLOC-2). */
  unresolvable: { index: number; shortfallKw: number }[];
}

/** The per-SP forecast and position of one MOL line, as allocation needs it. */
export interface AllocationLine {
  curtailmentOrder: number;
  forecastKw: ReadonlyArray<number>;
}

/**
 * R-ALLOC-1: for each SP walk the lines in `curtailmentOrder`; each is curtailed by
 * `min(forecast, remaining)` starting from the required curtailment. R-ALLOC-2: what remains after
 * the last line flags the SP unresolvable. `requiredKw[i]` pairs with `line.forecastKw[i]`.
 */
export function allocate(
  lines: ReadonlyArray<AllocationLine>,
  requiredKw: ReadonlyArray<number>,
): Allocation {
  const order = lines
    .map((line, index) => ({ line, index }))
    .sort((a, b) => a.line.curtailmentOrder - b.line.curtailmentOrder);
  const curtailmentKw = lines.map(() => requiredKw.map(() => 0));
  const unresolvable: Allocation["unresolvable"] = [];
  requiredKw.forEach((required, sp) => {
    let remaining = required;
    for (const { line, index } of order) {
      if (remaining <= 0) break;
      const take = Math.min(Math.max(line.forecastKw[sp] ?? 0, 0), remaining);
      curtailmentKw[index]![sp] = take;
      remaining -= take;
    }
    if (remaining > 0) unresolvable.push({ index: sp, shortfallKw: remaining });
  });
  return { curtailmentKw, unresolvable };
}
