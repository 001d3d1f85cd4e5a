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
  return inRankOrder(bidRanking(bids));
}

/** R-MATCH-1: the offers in rank order; exactly `[...offers].sort(compareOffers)`. */
export function rankOffers(offers: ReadonlyArray<Order>): Order[] {
  return inRankOrder(offerRanking(offers));
}

/**
 * A rank order without moving the orders (D-123): `orders[positions[0]]` ranks first. `orders`
 * is the list as given (large books, whose orders are then read in the order they were made) or
 * a sorted copy with `positions` 0, 1, 2, … (small books, sorted by the comparator).
 */
export interface Ranking {
  orders: ReadonlyArray<Order>;
  positions: Int32Array;
}

/** R-MATCH-1 for bids, as {@link rankBids} ranks them. */
export function bidRanking(bids: ReadonlyArray<Order>): Ranking {
  return ranking(bids, true, compareBids);
}

/** R-MATCH-1 for offers, as {@link rankOffers} ranks them. */
export function offerRanking(offers: ReadonlyArray<Order>): Ranking {
  return ranking(offers, false, compareOffers);
}

function inRankOrder({ orders, positions }: Ranking): Order[] {
  const out: Order[] = new Array(positions.length);
  for (let i = 0; i < positions.length; i += 1) out[i] = orders[positions[i]!]!;
  return out;
}

/** Below this many orders a comparison sort is as fast as the radix sort. */
const RADIX_MIN = 512;
const TWO_32 = 4294967296;

/**
 * The stable sort of `orders` by `compare` (a {@link Ranking}), computed without calling
 * `compare` for every pair: the three integer keys of R-MATCH-1 (total, availability,
 * `submittedAt`; prices reversed for bids) are radix-sorted least significant first on integer
 * digits, which is stable, so orders with equal keys stay in input order; runs of equal keys are
 * then sorted by `compare` itself (the `orderId` tie-break). The result is the unique stable sort
 * by `compare`, the same order `Array.prototype.sort` gives. Keys that are not safe integers fall
 * back to `compare`.
 */
function ranking(
  orders: ReadonlyArray<Order>,
  descending: boolean,
  compare: (a: Order, b: Order) => number,
): Ranking {
  const n = orders.length;
  const sorted = () => ({ orders: orders.slice().sort(compare), positions: identity(n) });
  if (n < RADIX_MIN) return sorted();
  const total = new Float64Array(n);
  const availability = new Float64Array(n);
  const submitted = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const o = orders[i]!;
    const t = totalPence(o);
    const a = o.availabilityPence;
    const s = o.submittedAtMs;
    if (!Number.isSafeInteger(t) || !Number.isSafeInteger(a) || !Number.isSafeInteger(s))
      return sorted();
    total[i] = t;
    availability[i] = a;
    submitted[i] = s;
  }
  const scratch = { perm: identity(n), spare: new Int32Array(n) };
  const bits = Math.min(11, Math.max(6, Math.ceil(Math.log2(n))));
  // Least significant key first.
  if (
    !radixPass(scratch, submitted, false, bits) ||
    !radixPass(scratch, availability, descending, bits) ||
    !radixPass(scratch, total, descending, bits)
  )
    return sorted();
  const perm = scratch.perm;
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
    if (end - start > 1) sortPositions(orders, perm.subarray(start, end), compare);
    start = end;
  }
  return { orders, positions: perm };
}

/**
 * Sorts the positions `run` in place by `compare` on the orders they name, with
 * `Array.prototype.sort`: the comparisons, and so the result, are exactly those of sorting the
 * orders themselves.
 */
function sortPositions(
  orders: ReadonlyArray<Order>,
  run: Int32Array,
  compare: (a: Order, b: Order) => number,
): void {
  run.set(Array.from(run).sort((a, b) => compare(orders[a]!, orders[b]!)));
}

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i += 1) out[i] = i;
  return out;
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
