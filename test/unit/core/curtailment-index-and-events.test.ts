import { describe, expect, it } from "vitest";
import {
  curtailmentIndexRows,
  dayCurtailment,
} from "../../../functions/core/curtailment-index/ledger";
import { eventIdOf } from "../../../functions/core/events/platform-event";
import { statementIssuedEvent } from "../../../functions/core/events/statement-events";
import { dayContextOf } from "../../../functions/core/performance/day-context";
import { dayPerformance } from "../../../functions/core/performance/performance";
import { tradeLines } from "../../../functions/core/settlement/lines";
import { settleMonth } from "../../../functions/core/settlement/settlement-run";
import { applyTopologyChange } from "../../../functions/core/verification/verify";
import { inputsOf, perSp } from "../../support/post-trade-day";
import { CONFIG, g5MovesToC2, ms, workedDay } from "../../support/worked-day";
import { DATE, worked } from "../../support/worked-inputs";

const mwhOf = (rows: ReturnType<typeof curtailmentIndexRows>, entryId: string) => {
  const r = rows.find((x) => x.entryId === entryId)!;
  return [r.networkMwh, r.tradedMwh, r.avoidedMwh, r.physicalMwh, r.thirdPartyMwh].map((v) =>
    Number(v.toFixed(6)),
  );
};

describe("R-CI-1..3 the Curtailment Index ledger", () => {
  it("R-CI-2: network = CF counts, traded = own seller slices, avoided where a buyer, physical = Σ applied", () => {
    const w = worked();
    const rows = curtailmentIndexRows([dayCurtailment(w.ctx, w.perf)]);
    expect(mwhOf(rows, "G4-A")).toEqual([8.5, 0, 8.5, 0, 0]);
    expect(mwhOf(rows, "G5-A")).toEqual([0, 6, 0, 6, 0]);
    expect(mwhOf(rows, "G3-A")).toEqual([1, 0, 0, 1, 0]);
  });

  it("R-CI-1: one row per entry and financial year, summing days; R-CI-3: a day without actuals is estimated", () => {
    const a = worked();
    const b = worked({ noActuals: true });
    const day1 = dayCurtailment(a.ctx, a.perf);
    const day2 = { ...dayCurtailment(b.ctx, b.perf), deliveryDate: "2027-06-15" };
    const day3 = { ...day1, deliveryDate: "2028-03-31" };
    const rows = curtailmentIndexRows([day1, day2, day3]).filter((r) => r.entryId === "G4-A");
    expect(
      rows.map((r) => [
        r.financialYear,
        r.from,
        r.to,
        r.days,
        r.estimatedDays,
        Number(r.networkMwh.toFixed(6)),
      ]),
    ).toEqual([["2027-28", "2027-04-01", "2028-03-31", 3, 1, 25.5]]);
    expect(day2.estimated).toBe(true);
  });

  it("R-CI-2 (§19): network follows the membership after a change, physical the published version", () => {
    const { day } = workedDay();
    const changed = applyTopologyChange(
      day,
      g5MovesToC2(day),
      ms("2027-06-14T12:41:05+01:00"),
      CONFIG,
    ).day;
    const w = worked({ day: changed, g5Kw: { 25: 0, 26: 0, 27: 0 } });
    const rows = curtailmentIndexRows([dayCurtailment(w.ctx, w.perf)]);
    expect(mwhOf(rows, "G4-A")).toEqual([8.5, 0, 7, 1.5, 0]);
    expect(mwhOf(rows, "G5-A")).toEqual([0, 4.5, 0, 4.5, 0]);
  });

  it("per SP the maximum over the constraints holding the entry", () => {
    // G1-A also sits behind C2 where it alone is curtailed 2 MW in SP30 and SP31.
    const { day } = workedDay({
      extra: [
        {
          constraintId: "C2",
          required: { 30: 2, 31: 3 },
          mol: [{ entryId: "G1-A", capacityMw: 10, forecastMw: 8 }],
        },
      ],
    });
    const ctx = dayContextOf(inputsOf(day));
    const rows = curtailmentIndexRows([dayCurtailment(ctx, dayPerformance(ctx))]);
    expect(mwhOf(rows, "G1-A")[0]).toBe(2.5);
  });
});

describe("R-NOTIFY-3/4 and R-DISPATCH-2 event derivation", () => {
  it("event ids are evt_ + a hash of (type, subject, version, recipient): the same parts, the same id", () => {
    const id = eventIdOf("merit-order.published", "S/2027-06-14/C1", 2, "g4");
    expect(id).toMatch(/^evt_[0-9a-f]{20}$/);
    expect(eventIdOf("merit-order.published", "S/2027-06-14/C1", 2, "g4")).toBe(id);
    for (const other of [
      eventIdOf("dispatch.instruction", "S/2027-06-14/C1", 2, "g4"),
      eventIdOf("merit-order.published", "S/2027-06-14/C2", 2, "g4"),
      eventIdOf("merit-order.published", "S/2027-06-14/C1", 3, "g4"),
      eventIdOf("merit-order.published", "S/2027-06-14/C1", 2, "g5"),
    ])
      expect(other).not.toBe(id);
  });

  it("the day-ahead publication: trade.confirmed to each party, then merit-order.published to the ANM and to each participant with a slice or remainder, and its dispatch.instruction", () => {
    const { events } = workedDay();
    expect(
      events.map((e) => `${e.type} ${e.recipient} ${e.label.replace(/trd-\w+/, "T")}`),
    ).toEqual([
      "trade.confirmed g4 T",
      "trade.confirmed g5 T",
      "trade.confirmed g4 T",
      "trade.confirmed g1 T",
      "merit-order.published anm C1:v1",
      "merit-order.published g1 C1:v1",
      "dispatch.instruction g1 C1:v1",
      "merit-order.published g4 C1:v1",
      "dispatch.instruction g4 C1:v1",
      "merit-order.published g5 C1:v1",
      "dispatch.instruction g5 C1:v1",
    ]);
    const g4 = events.find((e) => e.type === "dispatch.instruction" && e.recipient === "g4")!;
    expect(
      (g4.data.units as { unitId: string }[]).map((u) => u.unitId.replace(/trd-\w+/, "T")),
    ).toEqual(["G4-A/rem", "G4-A/T", "G4-A/T"]);
    const published = events.find(
      (e) => e.type === "merit-order.published" && e.recipient === "g4",
    )!;
    expect(published.data.href).toBe(
      "/merit-order-instructions?deliveryDate=2027-06-14&constraintId=C1&version=1",
    );
  });

  it("a version without segments that replaces none emits nothing (no trades, D-28)", () => {
    expect(workedDay({ orders: [] }).events).toEqual([]);
  });

  it("statement.issued to its participant, subject the statement id and version", () => {
    const w = worked();
    const lines = w.perf.trades.flatMap((p) =>
      tradeLines(p, {
        buyer: p.trade.trade.buyParticipantId,
        seller: p.trade.trade.sellParticipantId,
      }),
    );
    const [g1] = settleMonth({
      month: "2027-06",
      startedAtMs: 0,
      finishedAtMs: 0,
      lines,
      issued: [],
    }).statements;
    const e = statementIssuedEvent(g1!);
    expect(e).toMatchObject({
      type: "statement.issued",
      recipient: "g1",
      subject: g1!.statementId,
      version: 1,
      label: "g1:2027-06:v1",
    });
    expect(e.data).toMatchObject({
      payableGbp: 0,
      receivableGbp: 122,
      netGbp: 122,
      href: `/statements/${g1!.statementId}?version=1`,
    });
    expect(perSp(DATE, 0)).toHaveLength(48);
  });
});
