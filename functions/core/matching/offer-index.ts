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

  constructor(availabilityPence: ArrayLike<number>) {
    let size = 1;
    while (size < Math.max(1, availabilityPence.length)) size *= 2;
    this.size = size;
    const tree = new Float64Array(2 * size).fill(Number.POSITIVE_INFINITY);
    for (let i = 0; i < availabilityPence.length; i += 1) tree[size + i] = availabilityPence[i]!;
    for (let node = size - 1; node >= 1; node -= 1)
      tree[node] = Math.min(tree[2 * node]!, tree[2 * node + 1]!);
    this.minAvailability = tree;
  }

  /** Marks offer `index` as having no quantity left. */
  exhaust(index: number): void {
    const tree = this.minAvailability;
    let node = this.size + index;
    tree[node] = Number.POSITIVE_INFINITY;
    for (node >>= 1; node >= 1; node >>= 1) {
      const min = Math.min(tree[2 * node]!, tree[2 * node + 1]!);
      // Ancestors already holding this minimum stay as they are.
      if (tree[node] === min) break;
      tree[node] = min;
    }
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
