import { describe, expect, it } from "vitest";
import { DEFAULT_POST_TRADE_CONFIG } from "../../../functions/core/config/post-trade-config";
import { Rational } from "../../../functions/core/model/rational";
import {
  compensationLines,
  statementTotals,
  tradeLines,
} from "../../../functions/core/settlement/lines";
import { performanceMultiplier } from "../../../functions/core/settlement/multiplier";
import {
  assertMonthSettleable,
  settleMonth,
  statementIdOf,
} from "../../../functions/core/settlement/settlement-run";
import {
  csvField,
  formulaSafe,
  statementCsv,
} from "../../../functions/core/settlement/statement-csv";
import { statementDetailView } from "../../../functions/core/use-cases/post-trade-views";
import { applyTopologyChange, applyVeto } from "../../../functions/core/verification/verify";
import { perSp } from "../../support/post-trade-day";
import { CONFIG, g5MovesToC2, ms, workedDay } from "../../support/worked-day";
import { DATE, worked } from "../../support/worked-inputs";

const pence = (p: { availabilityPence: number; utilisationPence: number; totalPence: number }) => [
  p.availabilityPence,
  p.utilisationPence,
  p.totalPence,
];

function linesOf(w: ReturnType<typeof worked>) {
  return w.perf.trades.flatMap((p) =>
    tradeLines(p, {
      buyer: p.trade.trade.buyParticipantId,
      seller: p.trade.trade.sellParticipantId,
    }),
  );
}

const sellerShort = () =>
  worked({
    available: { "G5-A": { 27: 2.1 } },
    applied: [
      {
        unitId: `G5-A/${workedDay().day.trades[0]!.trade.tradeId}`,
        curtailmentMw: perSp(DATE, 0, { 25: 3, 26: 3, 27: 2.1, 28: 3 }),
      },
      {
        unitId: `G1-A/${workedDay().day.trades[1]!.trade.tradeId}`,
        curtailmentMw: perSp(DATE, 0, { 25: 1, 26: 1.5, 27: 1.5, 28: 1 }),
      },
      { unitId: "G3-B", curtailmentMw: perSp(DATE, 0, { 26: 1.5, 27: 1.5 }) },
      { unitId: "G3-A", curtailmentMw: perSp(DATE, 0, { 26: 1, 27: 1.9 }) },
    ],
  });

describe("R-SETTLE-1 one line per confirmed or cancelled trade", () => {
  it("a cancelled trade keeps its line (valid hours 1.5), a vetoed one has none", () => {
    const { day } = workedDay();
    const cancelled = applyTopologyChange(
      day,
      g5MovesToC2(day),
      ms("2027-06-14T12:41:05+01:00"),
      CONFIG,
    ).day;
    const lines = linesOf(worked({ day: cancelled, g5Kw: { 25: 0, 26: 0, 27: 0 } }));
    expect(lines.map((l) => [l.role, l.status, l.validHours.toString()])).toEqual([
      ["buyer", "cancelled", "3/2"],
      ["seller", "cancelled", "3/2"],
      ["buyer", "confirmed", "2"],
      ["seller", "confirmed", "2"],
    ]);
    const vetoed = applyVeto(
      day,
      { marketId: day.markets[0]!.marketId, reason: "x" },
      ms("2027-06-13T13:00:00+01:00"),
      CONFIG,
    ).day;
    expect(linesOf(worked({ day: vetoed }))).toEqual([]);
  });
});

describe("R-SETTLE-2 performance multiplier", () => {
  const linear = DEFAULT_POST_TRADE_CONFIG;
  const step = { ...linear, pmMode: "step" as const };
  it.each([
    ["1", linear, "1"],
    ["19/20", linear, "1"],
    ["37/40", linear, "17/18"],
    ["1/2", linear, "0"],
    ["499/1000", linear, "0"],
    ["0", linear, "0"],
    ["19/20", step, "1"],
    ["949/1000", step, "0"],
  ])("r = %s → PM %s (%s)", (r, config, pm) => {
    const [n, d] = r.split("/").map(Number);
    expect(performanceMultiplier(Rational.of(n!, d ?? 1), config).toString()).toBe(pm);
  });

  it("no test (r null): PM 1", () => {
    expect(performanceMultiplier(null, linear).toString()).toBe("1");
  });
});

describe("R-SETTLE-3/4/5 amounts", () => {
  it("full delivery: availability a × Q × H, utilisation u × ΣD (£60 + £150, £42 + £80)", () => {
    const lines = linesOf(worked());
    expect(lines.map(pence)).toEqual([
      [6000, 15000, 21000],
      [6000, 15000, 21000],
      [4200, 8000, 12200],
      [4200, 8000, 12200],
    ]);
  });

  it("the rounding trap: PM kept exact gives £56.67 (60 × 17/18 = 56.666…), not £56.66 from a rounded PM", () => {
    const [buyer, seller] = linesOf(sellerShort());
    expect(buyer!.performanceMultiplier!.toString()).toBe("17/18");
    expect(pence(buyer!)).toEqual([5667, 13875, 19542]);
    expect(pence(seller!)).toEqual(pence(buyer!));
    const rounded = Math.round(6000 * Number(buyer!.performanceMultiplier!.toFixed(4)));
    expect(rounded).toBe(5666);
  });

  it("the constraint did not happen: availability in full, utilisation 0", () => {
    expect(linesOf(worked({ required: {} })).map(pence)).toEqual([
      [6000, 0, 6000],
      [6000, 0, 6000],
      [4200, 0, 4200],
      [4200, 0, 4200],
    ]);
  });

  it("half a penny rounds up (R-SETTLE-5): £0.05/MW/h × 1 MW × ½ h = 2.5 p → 3 p", () => {
    const exact = Rational.of(5).mul(1000).div(1000).mul(Rational.of(1, 2));
    expect([exact.toString(), exact.roundHalfUp(0)]).toEqual(["5/2", 3n]);
    expect(Rational.of(249, 100).roundHalfUp(0)).toBe(2n);
  });

  it("statement totals: payable = Σ buyer lines, receivable = Σ seller lines, net = receivable − payable", () => {
    const lines = linesOf(sellerShort());
    expect(statementTotals(lines.filter((l) => l.participantId === "g4"))).toEqual({
      payablePence: 31742,
      receivablePence: 0,
      netPence: -31742,
    });
    expect(statementTotals(lines.filter((l) => l.participantId === "g5"))).toEqual({
      payablePence: 0,
      receivablePence: 19542,
      netPence: 19542,
    });
  });
});

describe("R-SETTLE-6 third-party impact and compensation", () => {
  it("each line reports the trade's impact; with shortfallCompensation the seller pays the harmed owner u × MWh", () => {
    const w = sellerShort();
    const [t1] = w.perf.trades;
    expect(linesOf(w)[0]!.thirdPartyImpactMwh.toString()).toBe("9/20");
    expect(
      compensationLines(t1!, w.perf.impacts, w.day.owners, { shortfallCompensation: false }),
    ).toEqual([]);
    const comp = compensationLines(t1!, w.perf.impacts, w.day.owners, {
      shortfallCompensation: true,
    });
    // £25/MWh × 0.45 MWh = £11.25, g5 pays g3 (owner of G3-A).
    expect(comp.map((l) => [l.role, l.participantId, l.entryId, l.totalPence])).toEqual([
      ["compensation-payer", "g5", "G5-A", 1125],
      ["compensation-payee", "g3", "G3-A", 1125],
    ]);
    expect(statementTotals(comp.slice(0, 1)).payablePence).toBe(1125);
    expect(statementTotals(comp.slice(1)).receivablePence).toBe(1125);
  });

  it("an entry without an owner gets no compensation line", () => {
    const w = sellerShort();
    const owners = new Map([...w.day.owners].filter(([e]) => e !== "G3-A"));
    expect(
      compensationLines(w.perf.trades[0]!, w.perf.impacts, owners, { shortfallCompensation: true }),
    ).toEqual([]);
  });
});

describe("R-SETTLE-7 runs and versions", () => {
  it.each([
    ["2027-07-05T23:59:59+01:00", "MONTH_NOT_SETTLEABLE"],
    ["2027-07-06T00:00:00+01:00", undefined],
  ])("a run for 2027-06 at %s: %s", (at, code) => {
    const act = () => assertMonthSettleable("2027-06", ms(at), [5]);
    if (code) expect(act).toThrow(expect.objectContaining({ code }));
    else expect(act).not.toThrow();
  });

  it("one run at a time per month: 409 SETTLEMENT_RUN_IN_PROGRESS", () => {
    expect(() => assertMonthSettleable("2027-06", ms("2027-07-07T00:00:00Z"), [5], true)).toThrow(
      expect.objectContaining({ code: "SETTLEMENT_RUN_IN_PROGRESS" }),
    );
  });

  it("version n + 1 only for statements whose lines differ, flags included; unchanged inputs issue nothing", () => {
    const first = settleMonth({
      month: "2027-06",
      startedAtMs: 1,
      finishedAtMs: 1,
      lines: linesOf(worked()),
      issued: [],
    });
    expect(first.statements.map((s) => [s.participantId, s.version])).toEqual([
      ["g1", 1],
      ["g4", 1],
      ["g5", 1],
    ]);
    const again = settleMonth({
      month: "2027-06",
      startedAtMs: 2,
      finishedAtMs: 2,
      lines: linesOf(worked()),
      issued: first.statements,
    });
    expect(again.statements).toEqual([]);
    expect(again.run.statements.every((s) => !s.changed)).toBe(true);
    const flagged = linesOf(worked()).map((l) =>
      l.participantId === "g1" ? { ...l, flags: ["METER_MISSING"] } : l,
    );
    const third = settleMonth({
      month: "2027-06",
      startedAtMs: 3,
      finishedAtMs: 3,
      lines: flagged,
      issued: first.statements,
    });
    expect(third.statements.map((s) => [s.participantId, s.version])).toEqual([["g1", 2]]);
    expect(first.statements[0]!.statementId).toBe(statementIdOf("g1", "2027-06"));
    // GET /statements/{id}?version= as JSON: the item and its lines in R-SETTLE-8 order.
    const g4 = statementDetailView(first.statements[1]!);
    expect(g4).toMatchObject({
      participantId: "g4",
      version: 1,
      payableGbp: 332,
      receivableGbp: 0,
      netGbp: -332,
      lineCount: 2,
    });
    expect(g4.lines.map((l) => [l.role, l.totalGbp])).toEqual(
      [...g4.lines]
        .sort((a, b) => (a.tradeId < b.tradeId ? -1 : 1))
        .map((l) => [l.role, l.totalGbp]),
    );
  });
});

describe("R-SETTLE-8/9 the statement CSV", () => {
  it("header, one row per line in order, fixed decimals, empty ratio for no test, CRLF, no BOM", () => {
    const w = worked({ required: { 25: 4, 26: 7, 27: 7, 28: 4 } });
    const noTest = worked({ required: {} });
    const statement = {
      statementId: "stm-x",
      version: 2,
      month: "2027-06",
      lines: linesOf(w).filter((l) => l.participantId === "g4"),
    };
    const csv = statementCsv(statement);
    const [t1, t2] = w.ids;
    const market = w.day.markets[0]!.marketId;
    expect(csv.split("\r\n")).toEqual([
      "statementId,version,month,participantId,role,tradeId,deliveryDate,marketId,constraintId,entryId,counterpartyEntryId,status,quantityMw,availabilityPrice,utilisationPrice,validHours,expectedMwh,deliveredMwh,performanceRatio,performanceMultiplier,availabilityGbp,utilisationGbp,totalGbp,thirdPartyImpactMwh,flags",
      ...[
        [t1, "G5-A", "3.000", "10.00", "25.00", "6.000000", "60.00", "150.00", "210.00"],
        [t2, "G1-A", "1.500", "14.00", "32.00", "2.500000", "42.00", "80.00", "122.00"],
      ]
        .sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
        .map(
          ([id, seller, q, a, u, e, ag, ug, tg]) =>
            `stm-x,2,2027-06,g4,buyer,${id},2027-06-14,${market},C1,G4-A,${seller},confirmed,${q},${a},${u},2.000000,${e},${e},1.000000,1.000000,${ag},${ug},${tg},0.000000,`,
        ),
      "",
    ]);
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    const empty = statementCsv({ ...statement, lines: linesOf(noTest).slice(0, 1) });
    expect(empty.split("\r\n")[1]!.split(",")[18]).toBe("");
  });

  it("quotes a field only when RFC 4180 requires it", () => {
    expect([csvField("a"), csvField("a,b"), csvField('say "hi"'), csvField("two\nlines")]).toEqual([
      "a",
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
    ]);
  });

  it("guards text cells against formula injection and leaves negative numbers as numbers (D-222)", () => {
    expect(
      ["=SUM(A1)", "+1", "-cmd", "@x", "\tx", "-12.50", "-3", "12.5", "G4-A"].map(formulaSafe),
    ).toEqual(["'=SUM(A1)", "'+1", "'-cmd", "'@x", "'\tx", "-12.50", "-3", "12.5", "G4-A"]);
    const [buyer] = linesOf(sellerShort());
    const csv = statementCsv({
      statementId: "s",
      version: 1,
      month: "2027-06",
      lines: [{ ...buyer!, entryId: "=HYPERLINK(x)", flags: ["@evil", "-1"] }],
    });
    const row = csv.split("\r\n")[1]!.split(",");
    expect([row[9], row[24]]).toEqual(["'=HYPERLINK(x)", "'@evil;-1"]);
  });

  it("shown values round half-up: PM 0.944444, r 0.925000, £56.67; a shown value never feeds a computation", () => {
    const [buyer] = linesOf(sellerShort());
    const row = statementCsv({ statementId: "s", version: 1, month: "2027-06", lines: [buyer!] })
      .split("\r\n")[1]!
      .split(",");
    expect([row[18], row[19], row[20], row[23]]).toEqual([
      "0.925000",
      "0.944444",
      "56.67",
      "0.450000",
    ]);
    expect(Rational.of(2, 3).toFixed(6)).toBe("0.666667");
  });
});
