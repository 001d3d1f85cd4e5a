import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ENGLAND_AND_WALES_BANK_HOLIDAYS } from "../../../functions/core/config/bank-holidays-england-wales";
import {
  DEFAULT_POST_TRADE_CONFIG,
  toPostTradeConfig,
} from "../../../functions/core/config/post-trade-config";
import { PostTradeConfigSchema } from "../../../functions/core/config/post-trade-config-schema";
import {
  financialYearBounds,
  financialYearOf,
  isWorkingDay,
  meterDeadlineMs,
  monthSettleableFromMs,
  weekdayOf,
} from "../../../functions/core/model/calendar";
import { Rational } from "../../../functions/core/model/rational";
import { toUtcIso } from "../../../functions/core/model/settlement-periods";
import { kwhPerSpToW, kwToW, mwToW } from "../../../functions/core/model/watts";
import { propertyParams } from "../../support/property";

describe("Rational (D-60): exact, normalised, integers only", () => {
  it("normalises sign and common factors", () => {
    expect([
      Rational.of(6, -4).toString(),
      Rational.of(0, 5).toString(),
      Rational.parseDecimal("-2.50").toString(),
    ]).toEqual(["-3/2", "0", "-5/2"]);
  });

  it("refuses a float, a zero denominator and a division by zero", () => {
    expect(() => Rational.of(0.1)).toThrow(RangeError);
    expect(() => Rational.of(1, 0)).toThrow(RangeError);
    expect(() => Rational.ONE.div(0)).toThrow(RangeError);
  });

  it.each([
    ["17/18", 6, "0.944444"],
    ["37/40", 6, "0.925000"],
    ["5/2", 0, "3"],
    ["-5/2", 0, "-3"],
    ["1/200", 2, "0.01"],
    ["-1/3", 2, "-0.33"],
  ])("%s shown with %s decimals, half-up (D-61): %s", (text, decimals, shown) => {
    const [n, d] = text.split("/").map(BigInt);
    expect(Rational.of(n!, d ?? 1n).toFixed(decimals)).toBe(shown);
  });

  it("arithmetic is exact: (a + b) − b = a and (a × b) ÷ b = a", () => {
    const r = fc
      .tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }))
      .map(([n, d]) => Rational.of(n, d));
    fc.assert(
      fc.property(r, r, (a, b) => {
        expect(a.add(b).sub(b).eq(a)).toBe(true);
        if (!b.isZero()) expect(a.mul(b).div(b).eq(a)).toBe(true);
        expect(a.cmp(b) + b.cmp(a)).toBe(0);
      }),
      propertyParams("rational arithmetic is exact"),
    );
  });
});

describe("R-UNIT-3 watts", () => {
  it.each([
    [() => mwToW(2.1), 2_100_000],
    [() => kwToW(2.413), 2413],
    [() => kwhPerSpToW(3250), 6_500_000],
    [() => kwToW(3000), 3_000_000],
  ])("converts exactly (%#)", (f, w) => {
    expect(f()).toBe(w);
  });
});

describe("§18 scheme configuration", () => {
  it("defaults: notice 30 min, veto 14:00, GF 0.05, floor 0.50, linear, meter N = 5, 8/10 and 4/5 over 60 days, adjustment 4 SPs gap 1 cap 0.20, England and Wales, no compensation", () => {
    expect({
      ...DEFAULT_POST_TRADE_CONFIG,
      bankHolidays: DEFAULT_POST_TRADE_CONFIG.bankHolidays.size,
    }).toEqual({
      verificationNoticeMinutes: 30,
      vetoDeadline: "14:00",
      graceFactorPermille: 50,
      performanceFloorPermille: 500,
      pmMode: "linear",
      meterDataDeadlineDays: 5,
      baselineDeadline: null,
      baseline: {
        working: { x: 8, y: 10 },
        nonWorking: { x: 4, y: 5 },
        lookbackDays: 60,
        adjustment: { spans: 4, gap: 1, capPermille: 200 },
      },
      bankHolidays: 40,
      shortfallCompensation: false,
    });
    expect(toPostTradeConfig({})).toEqual(DEFAULT_POST_TRADE_CONFIG);
  });

  it("takes a scheme's values in thousandths, a bank-holiday list replaces the default whole, vetoes can be off", () => {
    const c = toPostTradeConfig(
      PostTradeConfigSchema.parse({
        graceFactor: 0.1,
        performanceFloor: 0.6,
        vetoDeadline: null,
        bankHolidays: ["2027-01-04"],
        baseline: { working: [6, 8], adjustment: { cap: 0.125 } },
      }),
    );
    expect([
      c.graceFactorPermille,
      c.performanceFloorPermille,
      c.vetoDeadline,
      [...c.bankHolidays],
      c.baseline.working,
      c.baseline.adjustment.capPermille,
    ]).toEqual([100, 600, null, ["2027-01-04"], { x: 6, y: 8 }, 125]);
  });

  it.each([
    [{ performanceFloor: 0.95 }, "performanceFloor"],
    [{ graceFactor: 0.3, performanceFloor: 0.7 }, "performanceFloor"],
    [{ graceFactor: 0.0505 }, "graceFactor"],
    [{ baseline: { working: [11, 10] } }, "baseline.working"],
    [{ vetoDeadline: "24:00" }, "vetoDeadline"],
  ])("refuses %j (SCHEME_CONFIG_INVALID)", (input, path) => {
    const out = PostTradeConfigSchema.safeParse(input);
    expect(out.success).toBe(false);
    expect(out.error!.issues.map((i) => i.path.join("."))).toContain(path);
  });

  it("ships England and Wales bank holidays 2026–2030: eight a year, all weekdays (substitute days included)", () => {
    const byYear = new Map<string, number>();
    for (const d of ENGLAND_AND_WALES_BANK_HOLIDAYS)
      byYear.set(d.slice(0, 4), (byYear.get(d.slice(0, 4)) ?? 0) + 1);
    expect([...byYear]).toEqual([
      ["2026", 8],
      ["2027", 8],
      ["2028", 8],
      ["2029", 8],
      ["2030", 8],
    ]);
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS.every((d) => weekdayOf(d) <= 5)).toBe(true);
    expect(ENGLAND_AND_WALES_BANK_HOLIDAYS).toEqual(
      expect.arrayContaining([
        "2027-05-03",
        "2027-05-31",
        "2027-08-30",
        "2027-12-27",
        "2027-12-28",
        "2028-01-03",
      ]),
    );
    expect(isWorkingDay("2027-05-31", DEFAULT_POST_TRADE_CONFIG.bankHolidays)).toBe(false);
    expect(isWorkingDay("2027-06-01", DEFAULT_POST_TRADE_CONFIG.bankHolidays)).toBe(true);
  });
});

describe("deadlines, months and financial years in Europe/London", () => {
  it.each([
    ["2027-06-14", 5, "2027-06-19T23:00:00Z"],
    ["2027-10-27", 5, "2027-11-02T00:00:00Z"],
    ["2027-06-14", 0, "2027-06-14T23:00:00Z"],
  ])("the meter deadline of %s with N = %s is 00:00 local on D + N + 1: %s", (date, n, iso) => {
    expect(toUtcIso(meterDeadlineMs(date, n))).toBe(iso);
  });

  it("June 2027 is settleable from 00:00 BST on 6 July", () => {
    expect(toUtcIso(monthSettleableFromMs("2027-06", 5))).toBe("2027-07-05T23:00:00Z");
  });

  it.each([
    ["2027-03-31", "2026-27"],
    ["2027-04-01", "2027-28"],
    ["2099-12-31", "2099-00"],
  ])("R-CI-1: %s is in financial year %s", (date, fy) => {
    expect(financialYearOf(date)).toBe(fy);
  });

  it("R-CI-1: a financial year names consecutive years", () => {
    expect(financialYearBounds("2027-28")).toEqual({ from: "2027-04-01", to: "2028-03-31" });
    expect(financialYearBounds("2027-29")).toBeUndefined();
    expect(financialYearBounds("27-28")).toBeUndefined();
  });
});
