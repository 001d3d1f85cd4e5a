import { describe, expect, it } from "vitest";
import { allocate } from "../../../functions/core/allocation/allocate";
import { marketIdOf } from "../../../functions/core/model/ids";
import { LookAheadSchema, toLookAhead } from "../../../functions/core/model/look-ahead";
import { findEvents } from "../../../functions/core/opportunities/events";
import { lookAheadBody } from "../../support/look-ahead-builder";

const line = (curtailmentOrder: number, forecastKw: number[]) => ({ curtailmentOrder, forecastKw });

describe("R-ALLOC-1 predicted curtailment walks the MOL in curtailmentOrder", () => {
  it("reproduces the worked example for SP 25–28", () => {
    const forecasts = [4500, 1500, 3500, 6000, 3000, 8000];
    const lines = forecasts.map((f, i) => line(i + 1, [f, f, f, f]));
    const { curtailmentKw, unresolvable } = allocate(lines, [4000, 7000, 7000, 4000]);
    expect(curtailmentKw).toEqual([
      [4000, 4500, 4500, 4000],
      [0, 1500, 1500, 0],
      [0, 1000, 1000, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    expect(unresolvable).toEqual([]);
  });

  it("follows curtailmentOrder, not array position", () => {
    const { curtailmentKw } = allocate([line(2, [5000]), line(1, [3000])], [4000]);
    expect(curtailmentKw).toEqual([[1000], [3000]]);
  });

  it("curtails nobody when nothing is required", () => {
    expect(allocate([line(1, [5000])], [0]).curtailmentKw).toEqual([[0]]);
  });
});

describe("R-ALLOC-2 unresolvable constraint periods", () => {
  it("flags an SP whose requirement exceeds the MOL's total forecast, with the shortfall", () => {
    const { curtailmentKw, unresolvable } = allocate(
      [line(1, [2000, 2000]), line(2, [1000, 1000])],
      [2500, 4000],
    );
    expect(curtailmentKw).toEqual([
      [2000, 2000],
      [500, 1000],
    ]);
    expect(unresolvable).toEqual([{ index: 1, shortfallKw: 1000 }]);
  });

  it("flags a constraint with no MOL in every constrained SP", () => {
    expect(allocate([], [0, 10]).unresolvable).toEqual([{ index: 1, shortfallKw: 10 }]);
  });
});

describe("R-EVENT-1 events are maximal runs of SPs with required curtailment", () => {
  const la = toLookAhead(
    LookAheadSchema.parse(
      lookAheadBody("2027-06-14", [
        {
          constraintId: "C1",
          required: { 1: 1, 2: 2.5, 25: 4, 26: 7, 27: 7, 28: 4, 48: 0.5 },
          mol: [],
        },
      ]),
    ),
  );
  const events = findEvents(la.constraints[0]!, la.day);

  it("finds each run with its half-open window", () => {
    expect(events.map((e) => [e.firstIndex + 1, e.endIndex])).toEqual([
      [1, 2],
      [25, 28],
      [48, 48],
    ]);
    expect(new Date(events[1]!.windowStartMs).toISOString()).toBe("2027-06-14T11:00:00.000Z");
    expect(new Date(events[1]!.windowEndMs).toISOString()).toBe("2027-06-14T13:00:00.000Z");
    expect(new Date(events[2]!.windowEndMs).toISOString()).toBe("2027-06-14T23:00:00.000Z");
  });

  it("sizes each event by its peak and measures its energy as Σ required × 0.5 h", () => {
    expect(events.map((e) => e.sizeKw)).toEqual([2500, 7000, 500]);
    expect(events.map((e) => e.energyWh)).toEqual([1_750_000, 11_000_000, 250_000]);
    expect(events[1]!.peakIndex).toBe(25);
  });
});

describe("R-EVENT-2 market ids are deterministic", () => {
  it("gives the same id for the same scheme, day, constraint and window start", () => {
    const a = marketIdOf("S", "2027-06-14", "C1", 1_000);
    expect(marketIdOf("S", "2027-06-14", "C1", 1_000)).toBe(a);
    expect(marketIdOf("S", "2027-06-14", "C1", 2_000)).not.toBe(a);
    expect(marketIdOf("S", "2027-06-14", "C2", 1_000)).not.toBe(a);
    expect(marketIdOf("T", "2027-06-14", "C1", 1_000)).not.toBe(a);
  });
});
