import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  addDays,
  daysOfMonth,
  localDateOf,
  localTimeOf,
  localTimeOnDay,
  meterDeadlineMs,
  weekdayOf,
} from "../../../functions/core/model/calendar";
import {
  defaultGateClosureMs,
  deliveryDay,
  localMidnight,
  parseInstant,
  toUtcIso,
} from "../../../functions/core/model/settlement-periods";

/**
 * D-153: the functions' time code uses @date-fns/tz and UTC day arithmetic, no longer Luxon.
 * Luxon stays the reference here: each function is held against what it computed before, written
 * again with Luxon, over every day of 2020–2040 (both clock changes of each year included).
 */
const ZONE = "Europe/London";
const luxonMidnight = (date: string) => DateTime.fromISO(date, { zone: ZONE }).startOf("day");
const luxonAt = (date: string, hhmm: string) => {
  const [hour, minute] = hhmm.split(":").map(Number);
  return luxonMidnight(date)
    .set({ hour: hour!, minute: minute!, second: 0, millisecond: 0 })
    .toMillis();
};

const days: string[] = [];
for (
  let d = DateTime.fromISO("2020-01-01", { zone: "utc" });
  d.year <= 2040;
  d = d.plus({ days: 1 })
)
  days.push(d.toISODate()!);

describe("D-153 the time code agrees with Luxon", () => {
  it("on every day of 2020–2040: midnight, periods, weekday, day arithmetic, local wall times", () => {
    const wrong: string[] = [];
    const check = (what: string, got: unknown, want: unknown) => {
      if (got !== want) wrong.push(`${what}: ${String(got)} ≠ ${String(want)}`);
    };
    for (const date of days) {
      const m = luxonMidnight(date);
      const day = deliveryDay(date);
      check(`${date} midnight`, localMidnight(date), m.toMillis());
      check(`${date} start`, day.startMs, m.toMillis());
      check(`${date} end`, day.endMs, m.plus({ days: 1 }).toMillis());
      check(`${date} periods`, day.periods.length, (day.endMs - day.startMs) / 1_800_000);
      check(`${date} weekday`, weekdayOf(date), m.weekday);
      for (const n of [1, -1, 7, -7, 31])
        check(`${date} +${n}`, addDays(date, n), m.plus({ days: n }).toISODate());
      check(
        `${date} gate`,
        defaultGateClosureMs(date),
        luxonAt(m.minus({ days: 1 }).toISODate()!, "12:00"),
      );
      check(
        `${date} gate 01:30 same day`,
        defaultGateClosureMs(date, "01:30", 0),
        luxonAt(date, "01:30"),
      );
      check(
        `${date} gate 09:15 two days`,
        defaultGateClosureMs(date, "09:15", 2),
        luxonAt(m.minus({ days: 2 }).toISODate()!, "09:15"),
      );
      for (const hhmm of ["00:00", "01:00", "01:30", "02:00", "02:30", "23:30"])
        check(`${date} ${hhmm}`, localTimeOnDay(date, hhmm), luxonAt(date, hhmm));
      check(`${date} meter deadline`, meterDeadlineMs(date, 5), m.plus({ days: 6 }).toMillis());
    }
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it("gives the local date and time of every period start of every clock-change day and of instants across the years", () => {
    const wrong: string[] = [];
    const instants: number[] = [];
    for (const date of days) {
      const day = deliveryDay(date);
      if (day.periods.length !== 48)
        for (const p of day.periods) instants.push(p.startMs, p.startMs + 59_999);
    }
    for (let ms = Date.UTC(2020, 0, 1); ms < Date.UTC(2041, 0, 1); ms += 7_777_777)
      instants.push(ms);
    for (const ms of instants) {
      const l = DateTime.fromMillis(ms, { zone: ZONE });
      if (localDateOf(ms) !== l.toFormat("yyyy-MM-dd")) wrong.push(`${ms} date ${localDateOf(ms)}`);
      if (localTimeOf(ms) !== l.toFormat("HH:mm")) wrong.push(`${ms} time ${localTimeOf(ms)}`);
      const utc = DateTime.fromMillis(ms, { zone: "utc" });
      const want = utc.toFormat(
        utc.millisecond === 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'",
      );
      if (toUtcIso(ms) !== want) wrong.push(`${ms} iso ${toUtcIso(ms)}`);
    }
    expect(instants.length).toBeGreaterThan(1_000);
    expect(wrong).toEqual([]);
  });

  it("does not depend on the machine's own time zone", () => {
    const clockChangeDays = days.filter((d) => deliveryDay(d).periods.length !== 48);
    // Every Sunday: the days the machine's own zone may change its clocks (New York, Lord Howe).
    const sundays = days.filter((d) => weekdayOf(d) === 7);
    const saved = process.env.TZ;
    try {
      for (const zone of ["UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe"]) {
        process.env.TZ = zone; // Node applies it at once
        for (const date of clockChangeDays) {
          const m = luxonMidnight(date);
          expect([zone, date, localMidnight(date)]).toEqual([zone, date, m.toMillis()]);
          for (const hhmm of ["00:30", "01:00", "01:30", "02:00", "02:30", "12:00"])
            expect([zone, date, hhmm, localTimeOnDay(date, hhmm)]).toEqual([
              zone,
              date,
              hhmm,
              luxonAt(date, hhmm),
            ]);
          for (const p of deliveryDay(date).periods) {
            const l = DateTime.fromMillis(p.startMs, { zone: ZONE });
            expect([zone, p.startMs, localTimeOf(p.startMs), localDateOf(p.startMs)]).toEqual([
              zone,
              p.startMs,
              l.toFormat("HH:mm"),
              l.toFormat("yyyy-MM-dd"),
            ]);
          }
        }
        const wrong = sundays.flatMap((date) =>
          ["01:30", "02:00", "02:30", "03:00"]
            .filter((hhmm) => localTimeOnDay(date, hhmm) !== luxonAt(date, hhmm))
            .map((hhmm) => `${zone} ${date} ${hhmm}`),
        );
        expect(wrong).toEqual([]);
        expect(parseInstant("2027-10-31T01:30:00+01:00")).toBe(Date.UTC(2027, 9, 31, 0, 30));
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("lists the days of every month", () => {
    for (let year = 2020; year <= 2040; year += 1)
      for (let month = 1; month <= 12; month += 1) {
        const name = `${year}-${String(month).padStart(2, "0")}`;
        const first = luxonMidnight(`${name}-01`);
        const want = Array.from({ length: first.daysInMonth! }, (_, i) =>
          first.plus({ days: i }).toISODate(),
        );
        expect(daysOfMonth(name)).toEqual(want);
      }
  });

  it("refuses what is not a calendar date", () => {
    for (const date of [
      "2027-02-29",
      "2027-02-30",
      "2027-13-01",
      "2027-00-10",
      "2027-06-31",
      "14/06/2027",
      "2027-6-1",
      "",
    ])
      expect([date, localMidnight(date)]).toEqual([
        date,
        luxonMidnight(date).isValid ? luxonMidnight(date).toMillis() : undefined,
      ]);
    expect(localMidnight("2028-02-29")).toBe(luxonMidnight("2028-02-29").toMillis());
  });

  // What a client may send as an instant (R-TIME-2): accepted and refused as Luxon did, but for
  // the two forms noted in D-153.
  const luxonInstant = (value: string) => {
    if (!/(Z|[+-]\d{2}:?\d{2})$/.test(value)) return undefined;
    const dt = DateTime.fromISO(value, { setZone: true });
    return dt.isValid ? dt.toMillis() : undefined;
  };
  it.each([
    "2027-06-13T12:00:00+01:00",
    "2027-06-13T12:00:00Z",
    "2027-06-13T12:00Z",
    "2027-06-13T12Z",
    "2027-06-13T12:00:00.123Z",
    "2027-06-13T12:00:00.123456789Z",
    "2027-06-13T12:00:00,5Z",
    "2027-06-13T12:00:00-05:00",
    "2027-06-13T12:00:00+0100",
    "20270613T120000Z",
    "20270613T120000+0100",
    "2027-06-14T24:00:00Z",
    "2027-03-28T01:30:00+00:00",
    "2027-10-31T01:30:00+01:00",
    "2027-10-31T01:30:00+00:00",
    "2027-06-13T12:00:00",
    "2027-06-13t12:00:00z",
    "2027-02-30T00:00:00Z",
    "2027-06-14T25:00:00Z",
    "2027-06-14T23:60:00Z",
    "2027-06-14T23:59:60Z",
    "2027-6-13T12:00:00Z",
    "2027-06-13T12:00:00.Z",
    "2027-06-13T12:00:00+01:00Z",
    "yesterday",
    "",
  ])("parses %j as Luxon did", (value) => {
    expect(parseInstant(value)).toBe(luxonInstant(value));
  });

  it.each([
    // Luxon took a space for the `T` when the offset was `Z`; the platform's instants have a T.
    ["2027-06-13 12:00:00Z", undefined],
    // An offset's minutes past 59, which Luxon carried into the hour.
    ["2027-06-13T12:00:00+01:60", undefined],
  ])("refuses %j, which Luxon took (D-153)", (value, want) => {
    expect(parseInstant(value)).toBe(want);
  });
});
