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
  const forecastKw = new Float64Array(lines.length * spans);
  const orders = new Float64Array(lines.length);
  for (let row = 0; row < lines.length; row += 1) {
    const line = lines[row]!;
    orders[row] = line.curtailmentOrder;
    for (let sp = 0; sp < spans; sp += 1)
      forecastKw[row * spans + sp] = line.forecastKw[forecastOffset + sp] ?? 0;
  }
  const { curtailedKw, shortfallKw } = walkAllocation(
    requiredKw,
    { count: lines.length, forecastKw, width: spans },
    walkOrder(orders),
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
 * The lines an R-ALLOC walk reads: `count` lines, whose forecast in SP `sp` is
 * `forecastKw[(at ? at[line] : line * width) + sp]` for `sp < width` and 0 beyond (a value a line
 * does not have is stored as 0).
 */
export interface WalkLines {
  count: number;
  forecastKw: Float64Array;
  width: number;
  at?: Int32Array;
}

/**
 * The R-ALLOC-1/2 walk itself, the one copy every allocation uses (predicted curtailment, and
 * R-REORDER-4/5 before and after re-ordering): for each SP, the lines in `walk` order (their own
 * order without one) each take `min(max(forecast, 0), remaining)` of the required curtailment
 * until none remains. Returns the curtailment as one flat array, `[line * requiredKw.length +
 * sp]`, and what no line could take per SP (R-ALLOC-2).
 */
export function walkAllocation(
  requiredKw: ReadonlyArray<number>,
  lines: WalkLines,
  walk?: Int32Array,
): { curtailedKw: Float64Array; shortfallKw: Float64Array } {
  const { count, forecastKw, width, at } = lines;
  const spans = requiredKw.length;
  const curtailedKw = new Float64Array(count * spans);
  // Every SP walks the same lines, each SP on its own: line by line, all SPs at once, reads each
  // line's forecasts together (D-122). Each SP takes the lines in the same order as alone.
  const remainingKw = new Float64Array(spans);
  let open = 0;
  for (let sp = 0; sp < spans; sp += 1) {
    remainingKw[sp] = requiredKw[sp]!;
    if (remainingKw[sp]! > 0) open += 1;
  }
  for (let k = 0; k < count && open > 0; k += 1) {
    const line = walk ? walk[k]! : k;
    const from = at ? at[line]! : line * width;
    const out = line * spans;
    for (let sp = 0; sp < spans; sp += 1) {
      const remaining = remainingKw[sp]!;
      if (!(remaining > 0)) continue;
      const forecast = sp < width ? forecastKw[from + sp]! : 0;
      const take = Math.min(Math.max(forecast, 0), remaining);
      curtailedKw[out + sp] = take;
      remainingKw[sp] = remaining - take;
      if (!(remaining - take > 0)) open -= 1;
    }
  }
  return { curtailedKw, shortfallKw: remainingKw };
}

/**
 * Row indexes in curtailment order (`orders[row]`), for {@link walkAllocation}; undefined when the
 * rows already are in order.
 */
export function walkOrder(orders: ArrayLike<number>): Int32Array | undefined {
  for (let i = 1; i < orders.length; i += 1)
    if (orders[i]! < orders[i - 1]!) {
      const walk = new Int32Array(orders.length);
      for (let row = 0; row < walk.length; row += 1) walk[row] = row;
      return walk.sort((a, b) => orders[a]! - orders[b]!);
    }
  return undefined;
}
