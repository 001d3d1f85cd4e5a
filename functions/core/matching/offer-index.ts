/**
 * The offers of one market in rank order, with their quantity left, indexed so that the greedy
 * walk of R-MATCH-3 can jump straight to the next offer that a bid could trade with: the first
 * offer at or after a position with quantity left and an availability price within a limit.
 * A segment tree over the offers holds the lowest availability price of the offers with quantity
 * left in each range (exhausted offers count as +∞), so a jump and an update are O(log n).
 */
export class OfferIndex {
  private readonly size: number;
  private readonly minAvailability: Float64Array;

  constructor(availabilityPence: ReadonlyArray<number>) {
    let size = 1;
    while (size < Math.max(1, availabilityPence.length)) size *= 2;
    this.size = size;
    this.minAvailability = new Float64Array(2 * size).fill(Number.POSITIVE_INFINITY);
    availabilityPence.forEach((a, i) => {
      this.minAvailability[size + i] = a;
    });
    for (let node = size - 1; node >= 1; node -= 1)
      this.minAvailability[node] = Math.min(
        this.minAvailability[2 * node]!,
        this.minAvailability[2 * node + 1]!,
      );
  }

  /** Marks offer `index` as having no quantity left. */
  exhaust(index: number): void {
    let node = this.size + index;
    this.minAvailability[node] = Number.POSITIVE_INFINITY;
    for (node >>= 1; node >= 1; node >>= 1)
      this.minAvailability[node] = Math.min(
        this.minAvailability[2 * node]!,
        this.minAvailability[2 * node + 1]!,
      );
  }

  /**
   * The first offer index ≥ `from` with quantity left and availability ≤ `limitPence`, or -1.
   */
  next(from: number, limitPence: number): number {
    if (from >= this.size) return -1;
    const tree = this.minAvailability;
    // Walk up from the leaf: find the first subtree to the right of `from` that holds a match.
    let node = this.size + from;
    if (tree[node]! <= limitPence) return from;
    for (;;) {
      // Move to the next subtree on the right, climbing while we are a right child.
      while (node & 1) {
        node >>= 1;
        if (node === 0) return -1;
      }
      node += 1;
      if (tree[node]! <= limitPence) break;
    }
    // Descend to the leftmost matching leaf.
    while (node < this.size) {
      node *= 2;
      if (tree[node]! > limitPence) node += 1;
    }
    return node - this.size;
  }
}
