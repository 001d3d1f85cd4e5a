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
 * the last line flags the SP unresolvable. `requiredKw[i]` pairs with
 * `line.forecastKw[forecastOffset + i]`, so a window of a whole-day MOL needs no copy.
 */
export function allocate(
  lines: ReadonlyArray<AllocationLine>,
  requiredKw: ReadonlyArray<number>,
  forecastOffset = 0,
): Allocation {
  const walk = walkOrder(lines);
  const curtailmentKw = lines.map(() => new Array<number>(requiredKw.length).fill(0));
  const unresolvable: Allocation["unresolvable"] = [];
  for (let sp = 0; sp < requiredKw.length; sp += 1) {
    let remaining = requiredKw[sp]!;
    for (let k = 0; k < walk.length && remaining > 0; k += 1) {
      const row = walk[k]!;
      const take = Math.min(
        Math.max(lines[row]!.forecastKw[forecastOffset + sp] ?? 0, 0),
        remaining,
      );
      curtailmentKw[row]![sp] = take;
      remaining -= take;
    }
    if (remaining > 0) unresolvable.push({ index: sp, shortfallKw: remaining });
  }
  return { curtailmentKw, unresolvable };
}

/** Row indexes in `curtailmentOrder`; no sort when the lines already are in order. */
function walkOrder(lines: ReadonlyArray<AllocationLine>): Int32Array {
  const walk = new Int32Array(lines.length);
  let sorted = true;
  for (let i = 0; i < lines.length; i += 1) {
    walk[i] = i;
    if (i > 0 && lines[i]!.curtailmentOrder < lines[i - 1]!.curtailmentOrder) sorted = false;
  }
  if (!sorted) walk.sort((a, b) => lines[a]!.curtailmentOrder - lines[b]!.curtailmentOrder);
  return walk;
}
