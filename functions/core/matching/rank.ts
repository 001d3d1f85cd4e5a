import { type Order, totalPence } from "../orders/order";

function byId(a: Order, b: Order): number {
  return a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0;
}

/**
 * R-MATCH-1 bids: total price descending, availability price descending, `submittedAt`
 * ascending, `orderId` ascending.
 */
export function compareBids(a: Order, b: Order): number {
  return (
    totalPence(b) - totalPence(a) ||
    b.availabilityPence - a.availabilityPence ||
    a.submittedAtMs - b.submittedAtMs ||
    byId(a, b)
  );
}

/**
 * R-MATCH-1 offers: total price ascending, availability price ascending, `submittedAt`
 * ascending, `orderId` ascending.
 */
export function compareOffers(a: Order, b: Order): number {
  return (
    totalPence(a) - totalPence(b) ||
    a.availabilityPence - b.availabilityPence ||
    a.submittedAtMs - b.submittedAtMs ||
    byId(a, b)
  );
}

/** R-MATCH-1: the bids in rank order; exactly `[...bids].sort(compareBids)`. */
export function rankBids(bids: ReadonlyArray<Order>): Order[] {
  return rank(bids, true, compareBids);
}

/** R-MATCH-1: the offers in rank order; exactly `[...offers].sort(compareOffers)`. */
export function rankOffers(offers: ReadonlyArray<Order>): Order[] {
  return rank(offers, false, compareOffers);
}

/** Below this many orders a comparison sort is as fast as the radix sort. */
const RADIX_MIN = 512;
const TWO_32 = 4294967296;

/**
 * The stable sort of `orders` by `compare`, computed without calling `compare` for every pair:
 * the three integer keys of R-MATCH-1 (total, availability, `submittedAt`; prices reversed for
 * bids) are radix-sorted least significant first on integer digits, which is stable, so orders
 * with equal keys stay in input order; runs of equal keys are then sorted by `compare` itself
 * (the `orderId` tie-break). The result is the unique stable sort by `compare`, the same array
 * `Array.prototype.sort` gives. Keys that are not safe integers fall back to `compare`.
 */
function rank(
  orders: ReadonlyArray<Order>,
  descending: boolean,
  compare: (a: Order, b: Order) => number,
): Order[] {
  const n = orders.length;
  if (n < RADIX_MIN) return orders.slice().sort(compare);
  const total = new Float64Array(n);
  const availability = new Float64Array(n);
  const submitted = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const o = orders[i]!;
    const t = totalPence(o);
    const a = o.availabilityPence;
    const s = o.submittedAtMs;
    if (!Number.isSafeInteger(t) || !Number.isSafeInteger(a) || !Number.isSafeInteger(s))
      return orders.slice().sort(compare);
    total[i] = t;
    availability[i] = a;
    submitted[i] = s;
  }
  let perm = new Int32Array(n);
  for (let i = 0; i < n; i += 1) perm[i] = i;
  const scratch = { perm, spare: new Int32Array(n) };
  const bits = Math.min(11, Math.max(6, Math.ceil(Math.log2(n))));
  // Least significant key first.
  if (
    !radixPass(scratch, submitted, false, bits) ||
    !radixPass(scratch, availability, descending, bits) ||
    !radixPass(scratch, total, descending, bits)
  )
    return orders.slice().sort(compare);
  perm = scratch.perm;

  const ranked: Order[] = new Array(n);
  for (let i = 0; i < n; i += 1) ranked[i] = orders[perm[i]!]!;
  // Equal (total, availability, submittedAt): the orderId tie-break, by `compare` itself.
  for (let start = 0; start < n; ) {
    const j = perm[start]!;
    let end = start + 1;
    while (
      end < n &&
      total[perm[end]!] === total[j] &&
      availability[perm[end]!] === availability[j] &&
      submitted[perm[end]!] === submitted[j]
    )
      end += 1;
    if (end - start > 1) {
      const run = ranked.slice(start, end).sort(compare);
      for (let i = 0; i < run.length; i += 1) ranked[start + i] = run[i]!;
    }
    start = end;
  }
  return ranked;
}

/**
 * Stable LSD radix sort of `scratch.perm` by one integer key (ascending, or descending when
 * `descending`), `bits` bits per digit. False when the key's range is not a safe integer.
 */
function radixPass(
  scratch: { perm: Int32Array; spare: Int32Array },
  values: Float64Array,
  descending: boolean,
  bits: number,
): boolean {
  const n = values.length;
  let min = values[0]!;
  let max = min;
  for (let i = 1; i < n; i += 1) {
    const v = values[i]!;
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  const range = max - min;
  if (range === 0) return true;
  if (!(range <= Number.MAX_SAFE_INTEGER)) return false;
  let width = 0;
  while (2 ** width <= range) width += 1;
  const low = new Uint32Array(n);
  const high = width > 32 ? new Uint32Array(n) : undefined;
  for (let i = 0; i < n; i += 1) {
    const key = descending ? max - values[i]! : values[i]! - min;
    low[i] = key % TWO_32;
    if (high) high[i] = Math.floor(key / TWO_32);
  }
  const buckets = 1 << bits;
  const mask = buckets - 1;
  const count = new Int32Array(buckets);
  for (let shift = 0; shift < Math.min(width, 32); shift += bits)
    digitPass(scratch, low, shift, mask, count);
  if (high)
    for (let shift = 0; shift < width - 32; shift += bits)
      digitPass(scratch, high, shift, mask, count);
  return true;
}

/** One stable counting-sort pass on the digit `(key >>> shift) & mask`. */
function digitPass(
  scratch: { perm: Int32Array; spare: Int32Array },
  keys: Uint32Array,
  shift: number,
  mask: number,
  count: Int32Array,
): void {
  const { perm, spare } = scratch;
  const n = perm.length;
  count.fill(0);
  for (let i = 0; i < n; i += 1) {
    const d = (keys[i]! >>> shift) & mask;
    count[d] = count[d]! + 1;
  }
  // One bucket holding everything: the pass would not move anything.
  if (count[(keys[0]! >>> shift) & mask] === n) return;
  let sum = 0;
  for (let d = 0; d < count.length; d += 1) {
    const c = count[d]!;
    count[d] = sum;
    sum += c;
  }
  for (let i = 0; i < n; i += 1) {
    const j = perm[i]!;
    const d = (keys[j]! >>> shift) & mask;
    const at = count[d]!;
    spare[at] = j;
    count[d] = at + 1;
  }
  scratch.perm = spare;
  scratch.spare = perm;
}
