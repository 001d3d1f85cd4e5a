import { describe, expect, it } from "vitest";
import { DEFAULT_POST_TRADE_CONFIG } from "../../../functions/core/config/post-trade-config";
import { Rational } from "../../../functions/core/model/rational";
import { assertActualsNew, heldActuals } from "../../../functions/core/performance/actuals";
import {
  additiveAdjustment,
  generationBaseline,
  midXOfYBaseline,
} from "../../../functions/core/performance/baseline";
import { dayContextOf } from "../../../functions/core/performance/day-context";
import {
  countsForSettlement,
  type MeterUpload,
  meterBookOf,
  parseMeterCsv,
  parseMeterCsvUpload,
} from "../../../functions/core/performance/meter-readings";
import { acceptNomination } from "../../../functions/core/performance/nominations";
import { dayPerformance } from "../../../functions/core/performance/performance";
import {
  dayInputsOf,
  type PostTradeInputPorts,
} from "../../../functions/core/use-cases/post-trade-day";
import type { PostTradeDay } from "../../../functions/core/verification/day";
import { applyTopologyChange } from "../../../functions/core/verification/verify";
import { actualsOf, inputsOf, meterUpload, perSp } from "../../support/post-trade-day";
import { CONFIG, g5MovesToC2, ms, workedDay } from "../../support/worked-day";
import { AFTER, DATE, mw, mwh, nominations, worked } from "../../support/worked-inputs";

describe("R-PERF-1 ANM actuals", () => {
  it("are accepted only once the day has ended (409 DELIVERY_DAY_NOT_ENDED)", async () => {
    const { day } = workedDay();
    const { acceptActuals } = await import("../../../functions/core/performance/actuals");
    const { membershipOf } = await import("../../../functions/core/verification/membership");
    expect(() =>
      acceptActuals(
        {
          actualsId: "A",
          anmSchemeId: day.lookAhead.anmSchemeId,
          deliveryDate: DATE,
          constraints: [],
        },
        day,
        membershipOf(day.lookAhead, []),
        day.lookAhead.day.endMs - 1,
      ),
    ).toThrow(expect.objectContaining({ code: "DELIVERY_DAY_NOT_ENDED" }));
  });

  it.each([
    [
      "a required curtailment of the wrong length",
      { constraintId: "C1", requiredCurtailmentMw: [1] },
      "constraints.0.requiredCurtailmentMw",
    ],
    [
      "an unknown constraint",
      { constraintId: "C9", requiredCurtailmentMw: perSp(DATE, 0) },
      "constraints.0.constraintId",
    ],
    [
      "an unknown unit",
      {
        constraintId: "C1",
        requiredCurtailmentMw: perSp(DATE, 0),
        appliedCurtailment: [{ unitId: "G9-A", curtailmentMw: perSp(DATE, 0) }],
      },
      "constraints.0.appliedCurtailment.0.unitId",
    ],
    [
      "a value for a unit where it is not in force",
      {
        constraintId: "C1",
        requiredCurtailmentMw: perSp(DATE, 0),
        appliedCurtailment: [{ unitId: "G4-A/rem", curtailmentMw: perSp(DATE, 0, { 10: 1 }) }],
      },
      "constraints.0.appliedCurtailment.0.curtailmentMw.9",
    ],
    [
      "a negative value",
      { constraintId: "C1", requiredCurtailmentMw: perSp(DATE, 0, { 3: -1 }) },
      "constraints.0.requiredCurtailmentMw.2",
    ],
  ])("refuse %s (422 ACTUALS_INVALID)", (_name, constraint, path) => {
    const { day } = workedDay();
    let error: unknown;
    try {
      actualsOf(day, { actualsId: "A", constraints: [constraint as never] });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "ACTUALS_INVALID" });
    expect((error as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(path);
  });

  it("actualsId is the idempotency key: another body under it is 409 ACTUALS_CONFLICT", () => {
    const { day } = workedDay();
    const a = actualsOf(day, { actualsId: "A", constraints: [] });
    const b = actualsOf(day, {
      actualsId: "A",
      constraints: [{ constraintId: "C1", requiredCurtailmentMw: perSp(DATE, 0) }],
    });
    expect(assertActualsNew([a], a)).toBe("replay");
    expect(() => assertActualsNew([a], b)).toThrow(
      expect.objectContaining({ code: "ACTUALS_CONFLICT" }),
    );
  });

  it("a later constraint or entry item replaces the earlier one; the others stay", () => {
    const { day } = workedDay();
    const first = {
      ...actualsOf(day, {
        actualsId: "A",
        constraints: [{ constraintId: "C1", requiredCurtailmentMw: perSp(DATE, 1) }],
        availablePower: [
          { entryId: "G5-A", availableMw: perSp(DATE, 3) },
          { entryId: "G1-A", availableMw: perSp(DATE, 8) },
        ],
      }),
      receivedAtMs: 1,
    };
    const second = {
      ...actualsOf(day, {
        actualsId: "B",
        constraints: [],
        availablePower: [{ entryId: "G5-A", availableMw: perSp(DATE, 2) }],
      }),
      receivedAtMs: 2,
    };
    const held = heldActuals([second, first], 10);
    expect(held.availableW.get("G5-A")![0]).toBe(2_000_000);
    expect(held.availableW.get("G1-A")![0]).toBe(8_000_000);
    expect(held.constraints.get("C1")!.requiredW[0]).toBe(1_000_000);
  });

  it("missing R_act: the look-ahead's, flagged ANM_ACTUALS_MISSING; missing applied values are modelled by R-ALLOC", () => {
    const { t1, ctx } = worked({ noActuals: true });
    expect(t1.flags).toContain("ANM_ACTUALS_MISSING");
    expect(t1.periods.map((p) => mw(p.expectedW))).toEqual([3, 3, 3, 3]);
    expect(ctx.applied("C1", 25).byUnit.get("G3-B")).toBe(1_500_000);
    expect(ctx.applied("C1", 25).given).toBe(false);
  });
});

describe("R-PERF-2 meter readings", () => {
  it.each([
    ["a participant's upload before 00:00 on D+6", "2027-06-19T23:59:59+01:00", false, true],
    ["a participant's upload at 00:00 on D+6", "2027-06-20T00:00:00+01:00", false, false],
    ["an operator's correction at any time", "2027-07-08T10:00:00+01:00", true, true],
  ])("%s counts: %s", (_name, at, byOperator, counts) => {
    expect(countsForSettlement({ receivedAtMs: ms(at), byOperator }, DATE, 5)).toBe(counts);
  });

  it("the latest counting reading of each SP is used; null in a later upload keeps the earlier one (§19)", () => {
    const a = meterUpload({
      entryId: "G5-A",
      date: DATE,
      direction: "export",
      kw: perSp(DATE, 1000),
      receivedAtMs: 1,
    });
    const b = meterUpload({
      entryId: "G5-A",
      date: DATE,
      direction: "export",
      kw: perSp(DATE, 2000).map((v, i) => (i === 0 ? null : v)),
      receivedAtMs: 2,
    });
    const late = meterUpload({
      entryId: "G5-A",
      date: DATE,
      direction: "export",
      kw: perSp(DATE, 9000),
      receivedAtMs: ms("2027-06-25T00:00:00Z"),
    });
    const book = meterBookOf([late, b, a], ms("2027-07-01T00:00:00Z"), 5);
    expect([
      book.reading("G5-A", DATE, "export", 0)?.w,
      book.reading("G5-A", DATE, "export", 1)?.w,
    ]).toEqual([1_000_000, 2_000_000]);
    expect(book.reading("G5-A", DATE, "import", 0)).toBeUndefined();
  });

  it("reads RFC 4180 CSV: kWh per SP are ×2000 W, quoted fields allowed", () => {
    const csv =
      'anmSchemeId,entryId,deliveryDate,settlementPeriod,direction,unit,value\r\nS,"G1-A",2027-06-14,25,export,kWh,3250\r\nS,G1-A,2027-06-14,26,export,kW,"6.5"\r\n';
    const [day] = parseMeterCsv(csv);
    expect([day!.valuesW[24], day!.valuesW[25], day!.valuesW[0], day!.valuesW.length]).toEqual([
      6_500_000,
      6500,
      null,
      48,
    ]);
  });

  it("reads a file with a UTF-8 BOM (D-220), skips blank lines and counts the readings", () => {
    const header = "anmSchemeId,entryId,deliveryDate,settlementPeriod,direction,unit,value";
    const parsed = parseMeterCsvUpload(
      `\uFEFF${header}\r\nS,G1-A,2027-06-14,1,export,kW,1\r\n\r\nS,G1-A,2027-06-14,2,export,kW,2\r\n`,
    );
    expect(parsed.readingCount).toBe(2);
    expect(parsed.paths).toEqual(["line 2"]);
    expect(parsed.days[0]!.valuesW.slice(0, 2)).toEqual([1000, 2000]);
  });

  it("lists at most 100 problems of a bad file and counts them all (D-221)", () => {
    const header = "anmSchemeId,entryId,deliveryDate,settlementPeriod,direction,unit,value";
    const rows = Array.from(
      { length: 250 },
      (_, i) => `S,G1-A,2027-06-14,${(i % 48) + 1},export,kW,-1`,
    );
    let error: unknown;
    try {
      parseMeterCsvUpload(`${header}\r\n${rows.join("\r\n")}\r\n`);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "VALIDATION_FAILED" });
    expect((error as { errors: unknown[] }).errors).toHaveLength(100);
    expect((error as Error).message).toMatch(
      /^250 CSV field\(s\) are invalid, the first 100 listed/,
    );
  });

  it.each([
    ["a wrong header", "a,b\r\n", "VALIDATION_FAILED", "line 1.anmSchemeId"],
    [
      "columns in another order",
      "anmSchemeId,deliveryDate,entryId,settlementPeriod,direction,unit,value\r\n",
      "VALIDATION_FAILED",
      "line 1.entryId",
    ],
    [
      "a truncated line",
      `${"anmSchemeId,entryId,deliveryDate,settlementPeriod,direction,unit,value"}\r\nS,G1-A,2027-06-14,1,exp`,
      "VALIDATION_FAILED",
      "line 2.unit",
    ],
    [
      "a formula cell",
      `${"anmSchemeId,entryId,deliveryDate,settlementPeriod,direction,unit,value"}\r\nS,G1-A,2027-06-14,1,export,kWh,=1+2\r\n`,
      "VALIDATION_FAILED",
      "line 2.value",
    ],
    [
      "a negative value",
      `${"anmSchemeId,entryId,deliveryDate,settlementPeriod,direction,unit,value"}\r\nS,G1-A,2027-06-14,1,export,kWh,-1\r\n`,
      "VALIDATION_FAILED",
      "line 2.value",
    ],
    [
      "an unclosed quote",
      `${"anmSchemeId,entryId,deliveryDate,settlementPeriod,direction,unit,value"}\r\nS,"G1-A,2027-06-14,1,export,kWh,1\r\n`,
      "VALIDATION_FAILED",
      "line 3.entryId",
    ],
    [
      "a bad value",
      `${"anmSchemeId,entryId,deliveryDate,settlementPeriod,direction,unit,value"}\r\nS,G1-A,2027-06-14,1,export,kWh,1.2345\r\n`,
      "VALIDATION_FAILED",
      "line 2.value",
    ],
    [
      "an SP outside the day",
      `${"anmSchemeId,entryId,deliveryDate,settlementPeriod,direction,unit,value"}\r\nS,G1-A,2027-06-14,49,export,kWh,1\r\n`,
      "METER_READINGS_INVALID",
      "line 2.settlementPeriod",
    ],
    [
      "a repeated SP",
      `${"anmSchemeId,entryId,deliveryDate,settlementPeriod,direction,unit,value"}\r\nS,G1-A,2027-06-14,1,export,kWh,1\r\nS,G1-A,2027-06-14,1,export,kW,1\r\n`,
      "METER_READINGS_INVALID",
      "line 3.settlementPeriod",
    ],
  ])("refuses a CSV with %s", (_name, csv, code, path) => {
    let error: unknown;
    try {
      parseMeterCsv(csv);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code,
      errors: expect.arrayContaining([expect.objectContaining({ path })]),
    });
  });

  it("a missing meter file: turn-down 0 in every SP (METER_MISSING), so r = 0 and PM = 0", () => {
    const { day } = workedDay();
    const g1Only = [
      meterUpload({
        entryId: "G1-A",
        date: DATE,
        direction: "export",
        kw: perSp(DATE, 8000, { 25: 7000, 26: 6500, 27: 6500, 28: 7000 }),
        receivedAtMs: AFTER,
      }),
    ];
    const { t1, t2 } = worked({ day, uploads: g1Only });
    expect(
      t1.periods.every((p) => p.flags.includes("METER_MISSING") && p.deliveredW.isZero()),
    ).toBe(true);
    expect([t1.ratio?.toString(), t1.multiplier.toString()]).toEqual(["0", "0"]);
    expect(t2.multiplier.toString()).toBe("1");
  });
});

describe("R-PERF-3 nominations", () => {
  it("a late nomination is 409 BASELINE_DEADLINE_PASSED (default deadline: the day's gate closure)", () => {
    const { day } = workedDay();
    const body = {
      anmSchemeId: day.lookAhead.anmSchemeId,
      entryId: "G5-A",
      deliveryDate: DATE,
      nominatedMw: perSp(DATE, 3),
    };
    expect(() =>
      acceptNomination(body, day.lookAhead, [], ms("2027-06-13T12:00:00+01:00"), CONFIG),
    ).toThrow(expect.objectContaining({ code: "BASELINE_DEADLINE_PASSED" }));
    expect(() =>
      acceptNomination(body, day.lookAhead, [], ms("2027-06-13T10:30:00+01:00"), {
        baselineDeadline: "10:00",
      }),
    ).toThrow(expect.objectContaining({ code: "BASELINE_DEADLINE_PASSED" }));
    expect(
      acceptNomination(body, day.lookAhead, [], ms("2027-06-13T11:59:59+01:00"), CONFIG).version,
    ).toBe(1);
  });

  it.each([
    ["above the entry's capacity", perSp(DATE, 3.5), "BASELINE_INVALID"],
    ["of the wrong length", [3], "BASELINE_INVALID"],
  ])("refuses a nomination %s", (_name, nominatedMw, code) => {
    const { day } = workedDay();
    expect(() =>
      acceptNomination(
        {
          anmSchemeId: day.lookAhead.anmSchemeId,
          entryId: "G5-A",
          deliveryDate: DATE,
          nominatedMw,
        },
        day.lookAhead,
        [],
        0,
        CONFIG,
      ),
    ).toThrow(expect.objectContaining({ code }));
  });

  it("refuses an entry outside the day's MOL (404) and numbers replacements", () => {
    const { day } = workedDay();
    const body = {
      anmSchemeId: day.lookAhead.anmSchemeId,
      entryId: "G9-A",
      deliveryDate: DATE,
      nominatedMw: perSp(DATE, 1),
    };
    expect(() => acceptNomination(body, day.lookAhead, [], 0, CONFIG)).toThrow(
      expect.objectContaining({ code: "NOT_FOUND" }),
    );
    const first = acceptNomination({ ...body, entryId: "G5-A" }, day.lookAhead, [], 0, CONFIG);
    expect(
      acceptNomination({ ...body, entryId: "G5-A" }, day.lookAhead, [first], 1, CONFIG).version,
    ).toBe(2);
  });
});

describe("R-PERF-4 generation-turn-down baseline", () => {
  it.each([
    [3_000_000, 2_100_000, "2100000", []],
    [3_000_000, undefined, "3000000", ["ANM_AVAILABLE_MISSING"]],
    [undefined, 2_100_000, "2100000", ["NOMINATION_MISSING"]],
    [
      undefined,
      undefined,
      undefined,
      ["NOMINATION_MISSING", "ANM_AVAILABLE_MISSING", "NO_BASELINE"],
    ],
  ])("N %s, V %s → B %s %j", (n, v, b, flags) => {
    const out = generationBaseline(n, v);
    expect([out.w?.toString(), out.flags]).toEqual([b, flags]);
  });
});

/** D7-A's import history as in the worked example E (kW at SP 20–28 of each day). */
function demandHistory(): MeterUpload[] {
  const sp25: Record<string, number> = {
    "2027-06-11": 2.0,
    "2027-06-10": 2.4,
    "2027-06-08": 2.1,
    "2027-06-07": 1.8,
    "2027-06-04": 2.2,
    "2027-06-03": 3.5,
    "2027-06-02": 2.0,
    "2027-06-01": 2.3,
    "2027-05-28": 1.2,
    "2027-05-27": 2.1,
  };
  const window = (date: string) =>
    date === "2027-06-11"
      ? { 20: 1, 21: 1, 22: 1, 23: 1 }
      : date === "2027-06-10"
        ? { 20: 4, 21: 4, 22: 4, 23: 4 }
        : { 20: 2.2, 21: 2.1, 22: 2.3, 23: 2.2 };
  const uploads = Object.entries(sp25).map(([date, v]) =>
    meterUpload({
      entryId: "D7-A",
      date,
      direction: "import",
      kw: perSp(date, 1.5, { ...window(date), 24: 2.2, 25: v, 26: 2, 27: 2, 28: 1.9 }),
      receivedAtMs: ms(`${date}T23:00:00Z`),
    }),
  );
  for (const date of ["2027-06-09", "2027-05-31", "2027-06-12", "2027-06-13"])
    uploads.push(
      meterUpload({
        entryId: "D7-A",
        date,
        direction: "import",
        kw: perSp(date, 9.9),
        receivedAtMs: ms(`${date}T23:00:00Z`),
      }),
    );
  return uploads;
}

describe("R-PERF-5 demand-turn-up baseline, mid X of Y", () => {
  const config = { ...DEFAULT_POST_TRADE_CONFIG, bankHolidays: new Set(["2027-05-31"]) };
  const base = (
    uploads: MeterUpload[],
    index: number,
    extra: Partial<typeof config> = {},
    date = DATE,
    eventDays = new Set(["2027-06-09"]),
  ) =>
    midXOfYBaseline({
      entryId: "D7-A",
      deliveryDate: date,
      index,
      meters: meterBookOf(uploads, ms("2028-01-01T00:00:00Z"), 5),
      eventDays,
      config: { ...config, ...extra },
    });

  it("mid 8 of 10 on a working day skips weekends, the bank holiday and the event day: 2.1125 kW in SP25", () => {
    const b = base(demandHistory(), 24);
    expect(b.daysUsed).toEqual([
      "2027-06-11",
      "2027-06-10",
      "2027-06-08",
      "2027-06-07",
      "2027-06-04",
      "2027-06-03",
      "2027-06-02",
      "2027-06-01",
      "2027-05-28",
      "2027-05-27",
    ]);
    expect(b.w!.div(1000).toFixed(4)).toBe("2.1125");
  });

  it("fewer than X candidate days: NO_BASELINE", () => {
    expect(base(demandHistory().slice(0, 7), 24)).toMatchObject({
      w: undefined,
      flags: ["NO_BASELINE"],
    });
  });

  it("equal values are all kept (no de-duplication, §19)", () => {
    const flat = demandHistory().map((u) => ({
      ...u,
      days: u.days.map((d) => ({ ...d, valuesW: d.valuesW.map(() => 2000) })),
    }));
    expect(base(flat, 24).w!.toString()).toBe("2000");
  });

  it("a non-working day uses 4 of 5 non-working days and skips the clock-change day", () => {
    // Sunday 2027-11-07: candidates are Saturdays, Sundays and bank holidays, not 2027-10-31 (50 SPs).
    const days = [
      "2027-11-06",
      "2027-10-31",
      "2027-10-30",
      "2027-10-24",
      "2027-10-23",
      "2027-10-17",
    ];
    const uploads = days.map((date, i) =>
      meterUpload({
        entryId: "D7-A",
        date,
        direction: "import",
        kw: perSp(date, 1 + i),
        receivedAtMs: ms(`${date}T23:00:00Z`),
      }),
    );
    const b = base(uploads, 24, {}, "2027-11-07", new Set());
    expect(b.daysUsed).toEqual([
      "2027-11-06",
      "2027-10-30",
      "2027-10-24",
      "2027-10-23",
      "2027-10-17",
    ]);
    // values 1, 3, 4, 5, 6 kW: k − X = 1 → drop 0 lowest and 1 highest → (1 + 3 + 4 + 5) / 4.
    expect(b.w!.toString()).toBe("3250");
  });

  it("the additive adjustment: +0.30 kW over SP20–23 (inside ±20 %), clamped beyond it, 0 without a window", () => {
    const uploads = demandHistory();
    const meteredKw: Record<number, number> = { 20: 2.4, 21: 2.6, 22: 2.5, 23: 2.5 };
    const adj = (metered: Record<number, number>, first = 24) =>
      additiveAdjustment({
        windowFirstIndex: first,
        baselineAt: (i) => base(uploads, i).w,
        meteredAt: (i) => (metered[i + 1] === undefined ? undefined : metered[i + 1]! * 1000),
        config,
      });
    expect(adj(meteredKw).adjW.div(1000).toFixed(4)).toBe("0.3000");
    expect(adj({ 20: 9, 21: 9, 22: 9, 23: 9 }).adjW.div(1000).toFixed(4)).toBe("0.4400");
    expect(adj({ 20: 0, 21: 0, 22: 0, 23: 0 }).adjW.div(1000).toFixed(4)).toBe("-0.4400");
    expect(adj({ 20: 2.4, 21: 2.6, 22: 2.5 })).toMatchObject({ flags: ["NO_ADJUSTMENT"] });
    expect(adj(meteredKw, 3)).toMatchObject({ flags: ["NO_ADJUSTMENT"] });
  });

  it("a demand-turn-up seller with mid 8 of 10: turn-down = import − B', delivered ≤ expected", () => {
    const { day } = workedDay({
      orders: [
        { entryId: "G4-A", side: "buy", mw: 3, availability: 20, utilisation: 40 },
        {
          entryId: "G5-A",
          side: "sell",
          mw: 3,
          availability: 10,
          utilisation: 25,
          serviceType: "demand-turn-up",
        },
      ],
    });
    // G5-A is measured as demand: history in kW as D7-A's above scaled to MW (× 1000).
    const history = demandHistory().map((u) => ({
      ...u,
      days: u.days.map((d) => ({
        ...d,
        entryId: "G5-A",
        valuesW: d.valuesW.map((w) => (w === null ? null : w * 1000)),
      })),
    }));
    const dayOf = meterUpload({
      entryId: "G5-A",
      date: DATE,
      direction: "import",
      kw: perSp(DATE, 0, {
        20: 2400,
        21: 2600,
        22: 2500,
        23: 2500,
        25: 5500,
        26: 5300,
        27: 4000,
        28: 5200,
      }),
      receivedAtMs: AFTER,
    });
    const inputs = inputsOf(day, {
      uploads: [...history, dayOf],
      eventDays: new Map([["G5-A", new Set(["2027-06-09"])]]),
      config,
    });
    const [t] = dayPerformance(dayContextOf(inputs)).trades;
    expect(t!.baselineMethod).toBe("mid-x-of-y");
    expect(t!.adjustmentW!.div(1_000_000).toFixed(3)).toBe("0.300");
    // B' = 2.4125, 2.3, 2.3, 2.2 MW → turn-down 3.0875, 3.0, 1.7, 3.0 MW; E = 2.5, 3, 3, 2.5 MW
    // (G4-A's 1.5 MW remainder is curtailed first when R = 4).
    expect(
      t!.periods.map((p) => [mw(p.expectedW), mw(p.baselineW!), mw(p.turnDownW), mw(p.deliveredW)]),
    ).toEqual([
      [2.5, 2.413, 3.088, 2.5],
      [3, 2.3, 3, 3],
      [3, 2.3, 1.7, 1.7],
      [2.5, 2.2, 3, 2.5],
    ]);
    expect(t!.ratio!.toString()).toBe(Rational.of(97, 110).toString());
  });
});

describe("R-PERF-6/7/8 turn-down, expected and delivered", () => {
  it("E follows the units ahead: as published, a constraint smaller than forecast, and a unit ahead producing more", () => {
    const { t1, t2 } = worked({ required: { 25: 2, 26: 7, 27: 7, 28: 4 } });
    // SP25: R_act 2 < T1's 3 MW forecast → E(T1) = 2 and nothing is left for T2.
    expect(t1.periods.map((p) => mw(p.expectedW))).toEqual([2, 3, 3, 3]);
    expect(t2.periods.map((p) => mw(p.expectedW))).toEqual([0, 1.5, 1.5, 1]);
    const ahead = worked({
      applied: [
        { unitId: "G4-A/rem", curtailmentMw: perSp(DATE, 0) },
        {
          unitId: `G5-A/${workedDay().day.trades[0]!.trade.tradeId}`,
          curtailmentMw: perSp(DATE, 0, { 25: 3.5, 26: 3, 27: 3, 28: 3 }),
        },
      ],
    });
    expect(ahead.t2.periods.map((p) => mw(p.expectedW))).toEqual([0.5, 1.5, 1.5, 1]);
  });

  it("the seller's own shortfall does not lower E; D = min(E, turn-down); over-delivery is not carried", () => {
    const { t1, t2 } = worked({
      available: { "G5-A": { 27: 2.1 } },
      g1Kw: { 25: 6000, 26: 6500, 27: 6500, 28: 7000 },
    });
    expect(
      t1.periods.map((p) => [mw(p.expectedW), mw(p.baselineW!), mw(p.turnDownW), mw(p.deliveredW)]),
    ).toEqual([
      [3, 3, 3, 3],
      [3, 3, 3, 3],
      [3, 2.1, 2.1, 2.1],
      [3, 3, 3, 3],
    ]);
    // G1-A turned down 2 MW in SP25 against E = 1: D = 1, the rest counts nowhere.
    expect(t2.periods.map((p) => [mw(p.turnDownW), mw(p.deliveredW)])[0]).toEqual([2, 1]);
    expect(mwh(t2.deliveredWsp)).toBe(2.5);
  });

  it("an entry's turn-down goes to its seller slices in curtailment order", () => {
    const { day } = workedDay({
      required: { 25: 10, 26: 10, 27: 10, 28: 10 },
      orders: [
        { entryId: "G3-A", side: "buy", mw: 1, availability: 50, utilisation: 50 },
        { entryId: "G4-A", side: "buy", mw: 4.5, availability: 20, utilisation: 40 },
        { entryId: "G1-A", side: "sell", mw: 8, availability: 14, utilisation: 32 },
      ],
    });
    const uploads = [
      meterUpload({
        entryId: "G1-A",
        date: DATE,
        direction: "export",
        kw: perSp(DATE, 3000),
        receivedAtMs: AFTER,
      }),
    ];
    const perf = dayPerformance(
      dayContextOf(inputsOf(day, { uploads, nominations: nominations(day, { "G1-A": 8 }) })),
    );
    const byBuyer = (e: string) => perf.trades.find((p) => p.trade.trade.buyEntryId === e)!;
    // G1-A turns down 5 MW: the slice at order 2 (G4-A's, E 4.5) first, then G3-A's (E 1.0) gets 0.5.
    expect(mw(byBuyer("G4-A").periods[0]!.deliveredW)).toBe(4.5);
    expect([
      mw(byBuyer("G3-A").periods[0]!.expectedW),
      mw(byBuyer("G3-A").periods[0]!.deliveredW),
    ]).toEqual([1, 0.5]);
  });
});

describe("R-PERF-9 test SPs and r", () => {
  it("a trade cancelled by a topology change is not tested in SPs starting at or after effectiveFrom", () => {
    const { day } = workedDay();
    const changed = applyTopologyChange(
      day,
      g5MovesToC2(day),
      ms("2027-06-14T12:41:05+01:00"),
      CONFIG,
    ).day;
    const { t1 } = worked({ day: changed, g5Kw: { 25: 0, 26: 0, 27: 3000 } });
    expect([t1.validIndexes.map((i) => i + 1), t1.testIndexes.map((i) => i + 1)]).toEqual([
      [25, 26, 27],
      [25, 26],
    ]);
    // SP27 delivered nothing but is not tested: r = 1.
    expect(t1.ratio!.toString()).toBe("1");
    expect(mwh(t1.deliveredWsp)).toBe(3);
  });

  it("a change without a cancellation SP excludes nothing (§19)", () => {
    const { day } = workedDay();
    const late = applyTopologyChange(
      day,
      g5MovesToC2(day, "TC-L", "2027-06-14T23:45:00+01:00"),
      ms("2027-06-14T23:46:00+01:00"),
      CONFIG,
    ).day;
    expect(worked({ day: late }).t1.testIndexes.map((i) => i + 1)).toEqual([25, 26, 27, 28]);
  });

  it("no expected energy: no test, r null, PM 1", () => {
    const { t1 } = worked({ required: {} });
    expect([t1.ratio, t1.multiplier.toString()]).toEqual([null, "1"]);
  });
});

describe("R-PERF-10 third-party impact", () => {
  const ids = workedDay().day.trades.map((t) => t.trade.tradeId);
  const applied = (g3a27: number, t1At27: number, t2At27: number) => [
    {
      unitId: `G5-A/${ids[0]}`,
      curtailmentMw: perSp(DATE, 0, { 25: 3, 26: 3, 27: t1At27, 28: 3 }),
    },
    {
      unitId: `G1-A/${ids[1]}`,
      curtailmentMw: perSp(DATE, 0, { 25: 1, 26: 1.5, 27: t2At27, 28: 1 }),
    },
    { unitId: "G3-B", curtailmentMw: perSp(DATE, 0, { 26: 1.5, 27: 1.5 }) },
    { unitId: "G3-A", curtailmentMw: perSp(DATE, 0, { 26: 1, 27: g3a27 }) },
  ];

  it("x = applied − CF goes to the short trades pro rata to E − D", () => {
    const { perf } = worked({
      applied: applied(1.9, 2.1, 1.5),
      available: { "G5-A": { 27: 2.1 } },
      g1Kw: { 25: 7000, 26: 6500, 27: 6800, 28: 7000 },
    });
    const [x] = perf.impacts;
    expect([x!.entryId, x!.index + 1, x!.extraW]).toEqual(["G3-A", 27, 900_000]);
    // T1 short 0.9 MW, T2 short 0.3 MW → 0.675 and 0.225 MW of the 0.9.
    expect(x!.attributed.map((a) => [a.tradeId, mw(a.w)])).toEqual([
      [ids[0], 0.675],
      [ids[1], 0.225],
    ]);
  });

  it("with no trade short it is reported unattributed; without applied values nothing is reported", () => {
    expect(worked({ applied: applied(1.9, 3, 1.5) }).perf.impacts.map((x) => x.attributed)).toEqual(
      [[]],
    );
    expect(worked({ available: { "G5-A": { 27: 2.1 } } }).perf.impacts).toEqual([]);
  });
});

describe("R-PERF-11 provisional until the meter deadline", () => {
  it.each([
    ["2027-06-19T23:59:59+01:00", true],
    ["2027-06-20T00:00:00+01:00", false],
  ])("as of %s provisional is %s", (at, provisional) => {
    expect(worked({ asOfMs: ms(at) }).t1.provisional).toBe(provisional);
  });

  it("is recomputed from the inputs held: a reading received later changes the result", () => {
    const late = meterUpload({
      entryId: "G5-A",
      date: DATE,
      direction: "export",
      kw: perSp(DATE, 3000, { 25: 0, 26: 0, 27: 0, 28: 0 }),
      receivedAtMs: ms("2027-06-16T09:00:00+01:00"),
    });
    const before = worked({ uploads: [late], asOfMs: ms("2027-06-16T08:59:00+01:00") });
    const after = worked({ uploads: [late], asOfMs: ms("2027-06-16T09:00:00+01:00") });
    expect([before.t1.ratio!.toString(), after.t1.ratio!.toString()]).toEqual(["0", "1"]);
  });
});

describe("R-PERF-5 event days of the demand sellers' look-back (dayInputsOf)", () => {
  it("reads each look-back day's cycles once however many demand sellers look back over it, and still finds each seller's own event days", async () => {
    const lookbackDays = DEFAULT_POST_TRADE_CONFIG.baseline.lookbackDays;
    const day = {
      lookAhead: { anmSchemeId: "S1", deliveryDate: "2027-06-14" },
      trades: ["E1", "E2", "E3"].map((entry, i) => ({
        serviceType: "demand-turn-up",
        trade: { sellEntryId: entry, sellParticipantId: `P${i + 1}` },
      })),
    } as unknown as PostTradeDay;
    const cycleReads: string[] = [];
    const ports = {
      schemes: { settingsFor: async () => undefined },
      actuals: { ofDay: async () => [] },
      meters: { ofDay: async () => [], ofEntry: async () => [] },
      nominations: { ofDay: async () => [] },
      cycles: {
        cyclesOfDay: async (date: string) => {
          cycleReads.push(date);
          return [{ cycleId: `C-${date}`, status: "published" }];
        },
      },
      trades: {
        // P2 sold from E2 two days before; nobody else traded in the look-back.
        listTradesOfParticipant: async (participantId: string, date: string) =>
          participantId === "P2" && date === "2027-06-12"
            ? [{ cycleId: `C-${date}`, sellEntryId: "E2", buyEntryId: "B9" }]
            : [],
      },
    } as unknown as PostTradeInputPorts;
    const inputs = await dayInputsOf(ports, day, 0);
    expect(cycleReads).toHaveLength(lookbackDays);
    expect(new Set(cycleReads).size).toBe(lookbackDays);
    expect([...inputs.eventDays.get("E2")!]).toEqual(["2027-06-12"]);
    expect(inputs.eventDays.get("E1")!.size).toBe(0);
    expect(inputs.eventDays.get("E3")!.size).toBe(0);
  });
});
