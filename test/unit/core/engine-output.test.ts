import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  benchShapedCases,
  dayCases,
  dayOutput,
  digestOf,
  windowCases,
  windowOutput,
  windowOutputFromColumns,
} from "../../support/engine-books";

/**
 * The output oracle of the matching and re-ordering engine: on seeded books (small and large
 * windows of every shape, refusals included; whole days with shared constraints; the bench's two
 * shapes at 100,000 orders) the trades and re-ordered MOLs, serialized strictly, hash to the
 * digests recorded from the engine before its column-wise rewrite (D-120), both through the
 * record-returning functions and through the columns the bench times. Trade ids, slice ids,
 * line order and every per-SP value are in the serialization.
 */
const recorded = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../support/engine-digests.json"), "utf8"),
) as {
  windows: Record<string, string>;
  days: Record<string, string>;
  benchShaped: Record<string, string>;
};

describe("engine output equals the recorded output", () => {
  it("on every window case (match + re-order, refusals included)", () => {
    const cases = windowCases();
    expect(cases.map((c) => c.name)).toEqual(Object.keys(recorded.windows));
    const differing = cases.filter((c) => digestOf(windowOutput(c)) !== recorded.windows[c.name]);
    expect(differing.map((c) => c.name)).toEqual([]);
  });

  it("on every window case through the columns: trade ids derived after re-ordering", () => {
    const differing = windowCases().filter(
      (c) => digestOf(windowOutputFromColumns(c)) !== recorded.windows[c.name],
    );
    expect(differing.map((c) => c.name)).toEqual([]);
  });

  it("on every day case (matchDay + reorderDay)", () => {
    const cases = dayCases();
    expect(cases.map((c) => c.name)).toEqual(Object.keys(recorded.days));
    const differing = cases.filter((c) => digestOf(dayOutput(c)) !== recorded.days[c.name]);
    expect(differing.map((c) => c.name)).toEqual([]);
  });

  it("on the bench's shapes: 100,000 orders in one market and over 500 markets", () => {
    const single = benchShapedCases(100_000, 1, 1);
    const spread = benchShapedCases(100_000, 500, 2);
    expect(digestOf(single.map(windowOutput))).toBe(recorded.benchShaped["100000x1"]);
    expect(digestOf(spread.map(windowOutput))).toBe(recorded.benchShaped["100000x500"]);
    expect(digestOf(single.map(windowOutputFromColumns))).toBe(recorded.benchShaped["100000x1"]);
    expect(digestOf(spread.map(windowOutputFromColumns))).toBe(recorded.benchShaped["100000x500"]);
  });
});
