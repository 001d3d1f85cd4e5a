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
  const spans = requiredKw.length;
  const { curtailedKw, shortfallKw } = walkAllocation(
    requiredKw,
    walkOrder(lines),
    lines.length,
    (row, sp) => lines[row]!.forecastKw[forecastOffset + sp],
  );
  const curtailmentKw = lines.map((_, row) => {
    const out = new Array<number>(spans);
    for (let sp = 0; sp < spans; sp += 1) out[sp] = curtailedKw[row * spans + sp]!;
    return out;
  });
  const unresolvable: Allocation["unresolvable"] = [];
  for (let sp = 0; sp < spans; sp += 1)
    if (shortfallKw[sp]! > 0) unresolvable.push({ index: sp, shortfallKw: shortfallKw[sp]! });
  return { curtailmentKw, unresolvable };
}

/**
 * The R-ALLOC-1/2 walk itself, the one copy every allocation uses (predicted curtailment, and
 * R-REORDER-4/5 before and after re-ordering): for each SP, the lines in `walk` order each take
 * `min(max(forecast, 0), remaining)` of the required curtailment until none remains; a value a
 * line does not have (`undefined`) counts as 0. Returns the curtailment as one flat array,
 * `[line * requiredKw.length + sp]`, and what no line could take per SP (R-ALLOC-2).
 */
export function walkAllocation(
  requiredKw: ReadonlyArray<number>,
  walk: Int32Array,
  lineCount: number,
  forecastAt: (line: number, sp: number) => number | undefined,
): { curtailedKw: Float64Array; shortfallKw: Float64Array } {
  const spans = requiredKw.length;
  const curtailedKw = new Float64Array(lineCount * spans);
  const shortfallKw = new Float64Array(spans);
  for (let sp = 0; sp < spans; sp += 1) {
    let remaining = requiredKw[sp]!;
    for (let k = 0; k < walk.length && remaining > 0; k += 1) {
      const line = walk[k]!;
      const take = Math.min(Math.max(forecastAt(line, sp) ?? 0, 0), remaining);
      curtailedKw[line * spans + sp] = take;
      remaining -= take;
    }
    shortfallKw[sp] = remaining;
  }
  return { curtailedKw, shortfallKw };
}

/** Row indexes in `curtailmentOrder`; no sort when the lines already are in order. */
export function walkOrder(lines: ReadonlyArray<{ curtailmentOrder: number }>): Int32Array {
  const walk = new Int32Array(lines.length);
  let sorted = true;
  for (let i = 0; i < lines.length; i += 1) {
    walk[i] = i;
    if (i > 0 && lines[i]!.curtailmentOrder < lines[i - 1]!.curtailmentOrder) sorted = false;
  }
  if (!sorted) walk.sort((a, b) => lines[a]!.curtailmentOrder - lines[b]!.curtailmentOrder);
  return walk;
}

/** The identity walk: lines already in curtailment order. */
export function inOrder(lineCount: number): Int32Array {
  const walk = new Int32Array(lineCount);
  for (let i = 0; i < lineCount; i += 1) walk[i] = i;
  return walk;
}
