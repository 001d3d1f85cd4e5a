import { describe, expect, it } from "vitest";
import {
  defaultGateClosureMs,
  deliveryDay,
  parseInstant,
  toUtcIso,
  windowsOverlap,
} from "../../../functions/core/model/settlement-periods";

describe("R-TIME-1 settlement periods of a delivery day in Europe/London", () => {
  it.each([
    ["2027-06-14", 48, "2027-06-13T23:00:00Z", "2027-06-14T23:00:00Z"],
    ["2027-01-14", 48, "2027-01-14T00:00:00Z", "2027-01-15T00:00:00Z"],
    ["2027-03-28", 46, "2027-03-28T00:00:00Z", "2027-03-28T23:00:00Z"],
    ["2027-10-31", 50, "2027-10-30T23:00:00Z", "2027-10-31T23:59:59Z"],
    ["2026-03-29", 46, "2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z"],
    ["2026-10-25", 50, "2026-10-24T23:00:00Z", "2026-10-25T23:59:59Z"],
  ])("%s has %i periods, SP 1 starting at local midnight (%s)", (date, count, firstStart) => {
    const day = deliveryDay(date);
    expect(day.periods).toHaveLength(count);
    expect(day.periods[0]!.start).toBe(firstStart);
    expect(day.periods.map((p) => p.sp)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    for (const [i, p] of day.periods.entries()) {
      expect(p.endMs - p.startMs).toBe(30 * 60 * 1000);
      if (i > 0) expect(p.startMs).toBe(day.periods[i - 1]!.endMs);
    }
    expect(day.periods.at(-1)!.endMs).toBe(day.endMs);
  });

  it("puts SP 25 of a summer day at 12:00 local (11:00 UTC)", () => {
    expect(deliveryDay("2027-06-14").periods[24]!.start).toBe("2027-06-14T11:00:00Z");
  });

  it("refuses a date that is not in the calendar", () => {
    expect(() => deliveryDay("2027-02-30")).toThrow(RangeError);
    expect(() => deliveryDay("14/06/2027")).toThrow(RangeError);
  });
});

describe("R-GATE-1 default gate closure", () => {
  it.each([
    ["2027-06-14", "2027-06-13T11:00:00Z"],
    ["2027-01-14", "2027-01-13T12:00:00Z"],
    ["2027-03-29", "2027-03-28T11:00:00Z"],
    ["2027-03-28", "2027-03-27T12:00:00Z"],
  ])("for delivery on %s is 12:00 London the day before (%s)", (date, expected) => {
    expect(toUtcIso(defaultGateClosureMs(date))).toBe(expected);
  });
});

describe("R-TIME-2 instants and windows", () => {
  it("accepts instants with an offset and stores them in UTC", () => {
    expect(toUtcIso(parseInstant("2027-06-13T12:00:00+01:00")!)).toBe("2027-06-13T11:00:00Z");
    expect(parseInstant("2027-06-13T12:00:00")).toBeUndefined();
    expect(parseInstant("yesterday")).toBeUndefined();
  });

  it.each([
    [0, 10, 10, 20, false],
    [0, 10, 9, 20, true],
    [5, 6, 0, 10, true],
    [10, 20, 0, 10, false],
  ])("[%i,%i) and [%i,%i) overlap: %s", (a, b, c, d, expected) => {
    expect(windowsOverlap(a, b, c, d)).toBe(expected);
  });
});
