import { describe, expect, it } from "vitest";
import { DomainError } from "../../../functions/core/errors";
import { marketIdOf } from "../../../functions/core/model/ids";
import { latestVersion, validIndexes } from "../../../functions/core/verification/day";
import { membershipOf } from "../../../functions/core/verification/membership";
import { topologyChangeProblems } from "../../../functions/core/verification/topology-change";
import {
  activeConstraintsOf,
  applyTopologyChange,
  applyVeto,
  cancellationIndexOf,
} from "../../../functions/core/verification/verify";
import { perSp, tradedDay } from "../../support/post-trade-day";
import { CONFIG, changeBody, changeOf, g5MovesToC2, ms, workedDay } from "../../support/worked-day";

const RECEIVED = ms("2027-06-14T12:41:05+01:00");

const sp = (day: ReturnType<typeof workedDay>["day"], index: number | null) =>
  index === null ? null : day.lookAhead.day.periods[index]!.sp;

describe("R-VERIFY-1 membership and valid changes", () => {
  it("a SP's MOL is that of the change with the largest effectiveFrom at or before its start (ties: the later received)", () => {
    const { day } = workedDay();
    const early = changeOf(
      day,
      changeBody(day, "A", "2027-06-14T12:00:00+01:00", [
        { constraintId: "C1", entries: ["G3-A", "G4-A", "G3-B", "G2-A", "G5-A", "G1-A"] },
      ]),
    );
    const late = changeOf(
      day,
      changeBody(day, "B", "2027-06-14T13:00:00+01:00", [
        { constraintId: "C1", entries: ["G1-A", "G4-A", "G3-B", "G3-A", "G2-A", "G5-A"] },
      ]),
    );
    const tie = changeOf(
      day,
      changeBody(day, "C", "2027-06-14T12:00:00+01:00", [
        { constraintId: "C1", entries: ["G2-A", "G4-A", "G3-B", "G3-A", "G5-A", "G1-A"] },
      ]),
    );
    const held = (c: typeof early, at: number) => ({
      change: c,
      receivedAtMs: at,
      outcome: {} as never,
    });
    // B was received first, then A, then C: membership ignores receive order except for ties.
    const m = membershipOf(day.lookAhead, [held(late, 1), held(early, 2), held(tie, 3)]);
    const first = (i: number) => m.at("C1", i)!.mol.entries[0]!.entryId;
    expect([first(23), first(24), first(25), first(26), first(27)]).toEqual([
      "G4-A",
      "G2-A",
      "G2-A",
      "G1-A",
      "G1-A",
    ]);
    expect(m.at("C1", 26)!.source).toBe("B");
  });

  it("a constraint created by a change is known from then on and an entry keeps its look-ahead forecast", () => {
    const { day } = workedDay();
    const m = membershipOf(day.lookAhead, [
      { change: g5MovesToC2(day), receivedAtMs: RECEIVED, outcome: {} as never },
    ]);
    expect(m.constraintIds).toEqual(["C1", "C2"]);
    expect(m.known("C2")).toBe(false);
    expect(m.requiredKw("C2")).toBeUndefined();
    expect(m.at("C2", 24)).toBeUndefined();
    expect(m.at("C2", 27)!.mol.entries[0]!.forecastKw[27]).toBe(3000);
  });

  it.each([
    [
      "a capacity that differs from the look-ahead (D-2)",
      (b: any) => {
        b.constraints[0].entries[0].capacityMw = 6;
      },
      "constraints.0.entries.0.entryId",
    ],
    [
      "a gapped curtailmentOrder",
      (b: any) => {
        b.constraints[0].entries[1].curtailmentOrder = 9;
      },
      "constraints.0.entries",
    ],
    [
      "a duplicate entry",
      (b: any) => {
        b.constraints[0].entries[1].entryId = "G4-A";
        b.constraints[0].entries[1].resourceId = "G4";
        b.constraints[0].entries[1].capacityMw = 5;
      },
      "constraints.0.entries.1.entryId",
    ],
    [
      "requiredCurtailmentMw on a constraint the look-ahead has",
      (b: any) => {
        b.constraints[0].requiredCurtailmentMw = Array(48).fill(0);
      },
      "constraints.0.requiredCurtailmentMw",
    ],
    [
      "a created constraint's CLA of the wrong length",
      (b: any) => {
        b.constraints[1].requiredCurtailmentMw = [1];
      },
      "constraints.1.requiredCurtailmentMw",
    ],
    [
      "another day",
      (b: any) => {
        b.deliveryDate = "2027-06-15";
      },
      "deliveryDate",
    ],
  ])("refuses %s (422 TOPOLOGY_CHANGE_INVALID)", (_name, mutate, path) => {
    const { day } = workedDay();
    const body = structuredClone(
      changeBody(day, "TC", "2027-06-14T12:40:00+01:00", [
        { constraintId: "C1", entries: ["G4-A", "G3-B", "G3-A", "G2-A", "G1-A"] },
        { constraintId: "C2", entries: ["G5-A"] },
      ]),
    );
    mutate(body);
    expect(topologyChangeProblems(body, day.lookAhead).map((p) => p.path)).toContain(path);
  });
});

describe("R-VERIFY-2 idempotency", () => {
  it("a replay under the same id and body returns the first outcome and changes nothing", () => {
    const { day } = workedDay();
    const first = applyTopologyChange(day, g5MovesToC2(day), RECEIVED, CONFIG);
    const replay = applyTopologyChange(first.day, g5MovesToC2(day), RECEIVED + 4000, CONFIG);
    expect(replay.replayed).toBe(true);
    expect(replay.outcome).toEqual(first.outcome);
    expect(replay.events).toEqual([]);
    expect(replay.day).toBe(first.day);
  });

  it("the same id with another body is 409 TOPOLOGY_CHANGE_CONFLICT", () => {
    const { day } = workedDay();
    const first = applyTopologyChange(day, g5MovesToC2(day), RECEIVED, CONFIG);
    const other = g5MovesToC2(day, "TC-1", "2027-06-14T12:45:00+01:00");
    expect(() => applyTopologyChange(first.day, other, RECEIVED, CONFIG)).toThrow(
      expect.objectContaining({ code: "TOPOLOGY_CHANGE_CONFLICT" }),
    );
  });

  it("re-processing the same change on the same day gives the same cancellations, version and event ids", () => {
    const { day } = workedDay();
    const a = applyTopologyChange(day, g5MovesToC2(day), RECEIVED, CONFIG);
    const b = applyTopologyChange(day, g5MovesToC2(day), RECEIVED, CONFIG);
    expect(b.outcome).toEqual(a.outcome);
    expect(b.events.map((e) => e.id)).toEqual(a.events.map((e) => e.id));
    expect(b.day.versions).toEqual(a.day.versions);
  });
});

describe("R-VERIFY-3 the cancellation SP", () => {
  it.each([
    [
      "received after effectiveFrom: from the receive time",
      "2027-06-14T12:40:00+01:00",
      "2027-06-14T12:41:05+01:00",
      28,
    ],
    [
      "effectiveFrom in the future: from effectiveFrom",
      "2027-06-14T12:40:00+01:00",
      "2027-06-14T09:00:00+01:00",
      28,
    ],
    [
      "exactly on an SP boundary after the notice",
      "2027-06-14T12:30:00+01:00",
      "2027-06-14T12:00:00+01:00",
      27,
    ],
    [
      "notice ending inside the last SP: no SP starts after it (D-67)",
      "2027-06-14T23:20:00+01:00",
      "2027-06-14T23:20:00+01:00",
      null,
    ],
    [
      "notice ending at midnight: no cancellation SP (§19)",
      "2027-06-14T23:30:00+01:00",
      "2027-06-14T10:00:00+01:00",
      null,
    ],
  ])("%s", (_name, effectiveFrom, received, expected) => {
    const { day } = workedDay();
    expect(sp(day, cancellationIndexOf(day, ms(effectiveFrom), ms(received), CONFIG))).toBe(
      expected,
    );
  });

  it("without a cancellation SP the change has no effect, yet its membership is held (§19)", () => {
    const { day } = workedDay();
    const out = applyTopologyChange(
      day,
      g5MovesToC2(day, "TC-9", "2027-06-14T23:45:00+01:00"),
      ms("2027-06-14T23:46:00+01:00"),
      CONFIG,
    );
    expect(out.outcome).toMatchObject({
      effect: "no-effect",
      cancellationIndex: null,
      cancelledTrades: [],
      publishedVersions: [],
    });
    expect(out.day.trades.every((t) => t.status === "confirmed")).toBe(true);
    expect(out.day.changes).toHaveLength(1);
    expect(out.events).toEqual([]);
  });
});

describe("R-VERIFY-4 which trades stand", () => {
  it("G5 moved behind C2: T1 is cancelled from SP28, T2 stands (worked example D)", () => {
    const { day } = workedDay();
    const out = applyTopologyChange(day, g5MovesToC2(day), RECEIVED, CONFIG);
    const [t1, t2] = out.day.trades;
    expect(t1).toMatchObject({
      status: "cancelled",
      cancellation: {
        reason: "topology-change",
        fromIndex: 27,
        topologyChangeId: "TC-1",
        meritOrderVersion: 2,
      },
    });
    expect(validIndexes(t1!).map((i) => i + 1)).toEqual([25, 26, 27]);
    expect(t2!.status).toBe("confirmed");
  });

  it("Act(e) holds only constraints active in the remaining window; a constraint without a CLA is active", () => {
    const { day } = workedDay();
    const zeros = Array(48).fill(0);
    const change = changeOf(
      day,
      changeBody(day, "TC", "2027-06-14T12:40:00+01:00", [
        { constraintId: "C1", entries: ["G4-A", "G3-B", "G3-A", "G2-A", "G1-A"] },
        { constraintId: "C2", entries: ["G5-A"], requiredCurtailmentMw: zeros },
      ]),
    );
    const m = membershipOf(day.lookAhead, [
      { change, receivedAtMs: RECEIVED, outcome: {} as never },
    ]);
    expect(activeConstraintsOf(m, "G5-A", 27, 28)).toEqual([]);
    expect(activeConstraintsOf(m, "G4-A", 27, 28)).toEqual(["C1"]);
    // Act(G5-A) = {} ≠ Act(G4-A) = {C1}: T1 is cancelled even though C2 never curtails.
    expect(applyTopologyChange(day, change, RECEIVED, CONFIG).day.trades[0]!.status).toBe(
      "cancelled",
    );
  });

  it("buyer and seller both moved behind C2: the market's constraint is in neither Act, so the trade goes", () => {
    const { day } = workedDay();
    const change = changeOf(
      day,
      changeBody(day, "TC", "2027-06-14T12:40:00+01:00", [
        { constraintId: "C1", entries: ["G3-B", "G3-A", "G2-A", "G1-A"] },
        { constraintId: "C2", entries: ["G4-A", "G5-A"] },
      ]),
    );
    const out = applyTopologyChange(day, change, RECEIVED, CONFIG);
    expect(out.day.trades.map((t) => t.status)).toEqual(["cancelled", "cancelled"]);
  });

  it("a trade whose window ended before c is never touched (R-VERIFY-7: no SP before received + notice)", () => {
    const { day } = workedDay();
    const out = applyTopologyChange(
      day,
      g5MovesToC2(day, "TC", "2027-06-14T14:00:00+01:00"),
      ms("2027-06-14T14:05:00+01:00"),
      CONFIG,
    );
    expect(out.outcome.effect).toBe("applied");
    expect(out.day.trades.every((t) => t.status === "confirmed")).toBe(true);
    expect(out.outcome.publishedVersions).toEqual([]);
  });
});

describe("R-VERIFY-5 the new version", () => {
  it("keeps version 1's segment before c and re-orders from c with the trades that stand", () => {
    const { day } = workedDay();
    const out = applyTopologyChange(day, g5MovesToC2(day), RECEIVED, CONFIG);
    const v2 = latestVersion(out.day, "C1")!;
    expect(v2).toMatchObject({
      version: 2,
      reason: "topology-change",
      supersedesVersion: 1,
      topologyChangeId: "TC-1",
      cancelledTradeIds: [day.trades[0]!.trade.tradeId],
    });
    const [before, after] = v2.segments;
    expect([before!.firstIndex, before!.endIndex, after!.firstIndex, after!.endIndex]).toEqual([
      24, 27, 27, 28,
    ]);
    expect(before!.entries.map((l) => l.curtailmentKw)).toEqual(
      latestVersion(day, "C1")!.segments[0]!.entries.map((l) => l.curtailmentKw.slice(0, 3)),
    );
    expect(
      after!.entries.map((l) => [
        l.entryId.replace(/trd-\w+/, "T"),
        l.capacityKw,
        l.curtailmentKw[0],
      ]),
    ).toEqual([
      ["G4-A/rem", 3500, 3000],
      ["G1-A/T", 1500, 1000],
      ["G3-B", 2000, 0],
      ["G3-A", 4000, 0],
      ["G2-A", 8000, 0],
      ["G4-A/T", 1500, 0],
      ["G1-A/rem", 8500, 0],
    ]);
    expect(latestVersion(out.day, "C2")).toBeUndefined();
  });

  it("a change that moves nobody publishes no version and cancels nothing", () => {
    const { day } = workedDay();
    const same = changeOf(
      day,
      changeBody(day, "TC", "2027-06-14T12:40:00+01:00", [
        { constraintId: "C1", entries: ["G4-A", "G3-B", "G3-A", "G2-A", "G5-A", "G1-A"] },
      ]),
    );
    const out = applyTopologyChange(day, same, RECEIVED, CONFIG);
    expect(out.outcome).toMatchObject({
      effect: "applied",
      cancelledTrades: [],
      publishedVersions: [],
    });
    expect(out.day.versions).toEqual(day.versions);
    expect(out.events).toEqual([]);
  });

  it("a zero-capacity remainder that only carries forecast before c is not a change (D-83)", () => {
    // B's forecast goes first to Y's 8 kW slice, so X's remainder keeps 8 kW of forecast in
    // SP25–27 and none in SP28: D-5 keeps it for the window, drops it when SP28 is re-ordered.
    const { day } = tradedDay({
      date: "2027-06-14",
      constraints: [
        {
          constraintId: "C1",
          required: { 25: 0.25, 26: 0.25, 27: 0.25, 28: 3.75 },
          mol: [
            {
              entryId: "B-A",
              capacityMw: 5.75,
              forecastMw: perSp("2027-06-14", 5.75, { 25: 0.25, 26: 0.25, 27: 0.25, 28: 3.75 }),
            },
            { entryId: "X-A", capacityMw: 0.25 },
            { entryId: "Y-A", capacityMw: 3 },
          ],
        },
      ],
      owners: { "B-A": "b", "X-A": "x", "Y-A": "y" },
      orders: [
        { entryId: "B-A", side: "buy", mw: 3.75, availability: 50, utilisation: 50 },
        { entryId: "Y-A", side: "sell", mw: 0.008, availability: 1, utilisation: 1 },
        { entryId: "X-A", side: "sell", mw: 0.25, availability: 2, utilisation: 2 },
      ],
    });
    const rem = latestVersion(day, "C1")!.segments[0]!.entries.find(
      (l) => l.entryId === "X-A/rem",
    )!;
    expect([rem.capacityKw, rem.forecastKw]).toEqual([0, [8, 8, 8, 0]]);
    const same = changeOf(
      day,
      changeBody(day, "TC", "2027-06-14T12:40:00+01:00", [
        { constraintId: "C1", entries: ["B-A", "X-A", "Y-A"] },
      ]),
    );
    expect(applyTopologyChange(day, same, RECEIVED, CONFIG).outcome.publishedVersions).toEqual([]);
  });

  it("when R-REORDER-5 fails from c, every trade of that re-ordering is cancelled and the version has no segment from c", () => {
    const { day } = workedDay();
    // A state the checks would normally prevent: T2 is gone and, from SP28, the constraint is
    // larger than every forecast ahead of G5-A while G5-A itself can give only 1 MW.
    const c1 = day.lookAhead.constraints[0]!;
    const mol = day.lookAhead.mols.get("C1")!;
    const lookAhead = {
      ...day.lookAhead,
      constraints: [{ ...c1, requiredKw: c1.requiredKw.map((kw, i) => (i === 27 ? 17_000 : kw)) }],
      mols: new Map([
        [
          "C1",
          {
            ...mol,
            entries: mol.entries.map((e) =>
              e.entryId === "G5-A"
                ? { ...e, forecastKw: e.forecastKw.map((f, i) => (i === 27 ? 1000 : f)) }
                : e,
            ),
          },
        ],
      ]),
    };
    const broken = {
      ...day,
      lookAhead,
      trades: [day.trades[0]!, { ...day.trades[1]!, status: "vetoed" as const }],
    };
    const same = changeOf(
      broken,
      changeBody(broken, "TC", "2027-06-14T12:40:00+01:00", [
        { constraintId: "C1", entries: ["G4-A", "G3-B", "G3-A", "G2-A", "G5-A", "G1-A"] },
      ]),
    );
    const out = applyTopologyChange(broken, same, RECEIVED, CONFIG);
    expect(out.day.trades[0]).toMatchObject({
      status: "cancelled",
      cancellation: { fromIndex: 27 },
    });
    const v2 = latestVersion(out.day, "C1")!;
    expect(v2.segments.map((s) => [s.firstIndex, s.endIndex])).toEqual([[24, 27]]);
  });
});

/**
 * Issue 16, "Done when" 4: a constructed case reached by the ordinary path (look-ahead, orders,
 * matching, publication), no state forced. S-A sits in C0 (no event: R-ELIG-5 does not bind it)
 * with a 1 MW forecast and in C1 with 3 MW; it sells B-A 3 MW in C1's market. The change creates
 * C9 (its own CLA, 8 MW) holding B-A, S-A, U-A: Act(B-A) = Act(S-A) = {C1, C9}, so the trade
 * stands under R-VERIFY-4 and applies in C9 too (D-62), where S-A has its C0 forecast (D-65) and
 * can give back only 1 of the 3 MW swapped: U-A behind it would be curtailed 2 MW less.
 */
function neutralityBreakingDay() {
  const date = "2027-06-14";
  const window = { 25: 3, 26: 3, 27: 3, 28: 3 };
  return tradedDay({
    date,
    constraints: [
      { constraintId: "C0", required: {}, mol: [{ entryId: "S-A", capacityMw: 5, forecastMw: 1 }] },
      {
        constraintId: "C1",
        required: window,
        mol: [
          { entryId: "B-A", capacityMw: 5, forecastMw: 3 },
          { entryId: "S-A", capacityMw: 5, forecastMw: 3 },
          { entryId: "U-A", capacityMw: 10, forecastMw: 10 },
        ],
      },
    ],
    owners: { "B-A": "b", "S-A": "s", "U-A": "u" },
    orders: [
      { entryId: "B-A", side: "buy", mw: 3, availability: 50, utilisation: 50 },
      { entryId: "S-A", side: "sell", mw: 3, availability: 10, utilisation: 10 },
    ],
  });
}

describe("R-VERIFY-5 a re-ordering that would break neutrality (constructed case)", () => {
  it("cancels the trades concerned from c and publishes the MOL in force unchanged from c (§19, D-265)", () => {
    const { day } = neutralityBreakingDay();
    expect(day.trades).toHaveLength(1);
    const t = day.trades[0]!;
    expect([t.status, t.trade.quantityKw, t.constraintIds]).toEqual(["confirmed", 3000, ["C1"]]);
    const v1 = latestVersion(day, "C1")!;
    expect(v1.segments.map((s) => [s.firstIndex, s.endIndex])).toEqual([[24, 28]]);
    const c9 = perSp("2027-06-14", 0, { 25: 8, 26: 8, 27: 8, 28: 8 });
    const change = changeOf(
      day,
      changeBody(day, "TC-N", "2027-06-14T12:00:00+01:00", [
        { constraintId: "C9", entries: ["B-A", "S-A", "U-A"], requiredCurtailmentMw: c9 },
      ]),
    );
    // c = SP26 (12:00 + 30 min notice). R-VERIFY-4 lets the trade stand (the same Act on both
    // sides); it is R-REORDER-5 failing in C9 that cancels it (R-VERIFY-5).
    const membership = membershipOf(day.lookAhead, [
      { change, receivedAtMs: ms("2027-06-14T12:00:00+01:00"), outcome: {} as never },
    ]);
    expect(activeConstraintsOf(membership, "B-A", 25, 28)).toEqual(["C1", "C9"]);
    expect(activeConstraintsOf(membership, "S-A", 25, 28)).toEqual(["C1", "C9"]);
    expect(membership.at("C9", 25)!.mol.entries.map((e) => e.forecastKw[25])).toEqual([
      3000, 1000, 10_000,
    ]);

    const out = applyTopologyChange(day, change, ms("2027-06-14T12:00:00+01:00"), CONFIG);
    expect(out.outcome).toMatchObject({
      effect: "applied",
      cancellationIndex: 25,
      cancelledTrades: [{ tradeId: t.trade.tradeId, fromIndex: 25 }],
      publishedVersions: [{ constraintId: "C1", version: 2 }],
    });
    expect(out.day.trades[0]).toMatchObject({
      status: "cancelled",
      cancellation: { reason: "topology-change", fromIndex: 25, meritOrderVersion: 2 },
    });
    // C1 v2: v1's segment before c, exactly as published; nothing from c, so the ANM's own MOL
    // (unchanged by the change) stands there. C9 gets no version: nothing is re-ordered in it.
    const v2 = latestVersion(out.day, "C1")!;
    expect(v2.cancelledTradeIds).toEqual([t.trade.tradeId]);
    expect(v2.segments.map((s) => [s.firstIndex, s.endIndex])).toEqual([[24, 25]]);
    expect(v2.segments[0]!.entries).toEqual(
      v1.segments[0]!.entries.map((l) => ({
        ...l,
        forecastKw: l.forecastKw.slice(0, 1),
        curtailmentKw: l.curtailmentKw.slice(0, 1),
      })),
    );
    expect(latestVersion(out.day, "C9")).toBeUndefined();
    expect(out.events.map((e) => `${e.type} ${e.recipient}`).slice(0, 2)).toEqual([
      "trade.cancelled b",
      "trade.cancelled s",
    ]);
  });
  it("a trade refused whose window starts after c is cancelled from its window's first SP, with no valid SP (D-266)", () => {
    const { day } = neutralityBreakingDay();
    const t = day.trades[0]!;
    const c9 = perSp("2027-06-14", 0, { 25: 8, 26: 8, 27: 8, 28: 8 });
    const early = changeOf(
      day,
      changeBody(day, "TC-N-EARLY", "2027-06-14T10:00:00+01:00", [
        { constraintId: "C9", entries: ["B-A", "S-A", "U-A"], requiredCurtailmentMw: c9 },
      ]),
    );
    const out = applyTopologyChange(day, early, ms("2027-06-14T10:00:00+01:00"), CONFIG);
    // c = SP22 (10:30), before the window (SP25–28).
    expect(out.outcome.cancellationIndex).toBe(21);
    expect(out.outcome.cancelledTrades).toEqual([
      { tradeId: t.trade.tradeId, marketId: t.trade.marketId, fromIndex: 24 },
    ]);
    expect(validIndexes(out.day.trades[0]!)).toEqual([]);
    // Nothing of version 1 lies before c: version 2 has no segment, the MOL as sent stands.
    const v2 = latestVersion(out.day, "C1")!;
    expect([v2.version, v2.segments]).toEqual([2, []]);
    expect(latestVersion(out.day, "C9")).toBeUndefined();
  });
});

describe("R-VERIFY-6 the events of a change", () => {
  it("trade.cancelled to both parties and the new version's merit-order.published and dispatch.instruction", () => {
    const { day } = workedDay();
    const out = applyTopologyChange(day, g5MovesToC2(day), RECEIVED, CONFIG);
    expect(out.events.map((e) => `${e.type} ${e.recipient} ${e.label}`)).toEqual([
      `trade.cancelled g4 ${day.trades[0]!.trade.tradeId}`,
      `trade.cancelled g5 ${day.trades[0]!.trade.tradeId}`,
      "merit-order.published anm C1:v2",
      "merit-order.published g1 C1:v2",
      "dispatch.instruction g1 C1:v2",
      "merit-order.published g4 C1:v2",
      "dispatch.instruction g4 C1:v2",
      "merit-order.published g5 C1:v2",
      "dispatch.instruction g5 C1:v2",
    ]);
    const g5 = out.events.find((e) => e.type === "dispatch.instruction" && e.recipient === "g5")!;
    const units = g5.data.units as { unitId: string; periods: { sp: number }[] }[];
    expect(units.map((u) => [u.unitId.split("/")[0], u.periods.map((p) => p.sp)])).toEqual([
      ["G5-A", [25, 26, 27]],
    ]);
    const cancelled = out.events[0]!.data;
    expect(cancelled).toMatchObject({
      reason: "topology-change",
      cancelledFromSp: 28,
      cancelledFrom: "2027-06-14T12:30:00Z",
      validSpCount: 3,
      meritOrderVersion: 2,
      topologyChangeId: "TC-1",
    });
  });
});

describe("R-VERIFY-7 timing", () => {
  it("before the day's MOL is published: 409 MERIT_ORDER_NOT_PUBLISHED", () => {
    const { day } = workedDay();
    expect(() =>
      applyTopologyChange({ ...day, versions: [] }, g5MovesToC2(day), RECEIVED, CONFIG),
    ).toThrow(expect.objectContaining({ code: "MERIT_ORDER_NOT_PUBLISHED" }));
  });

  it("received at or after the end of the day: recorded after delivery, no trade or version changes", () => {
    const { day } = workedDay();
    const out = applyTopologyChange(day, g5MovesToC2(day), day.lookAhead.day.endMs, CONFIG);
    expect(out.outcome.effect).toBe("recorded-after-delivery");
    expect(out.day.trades).toEqual(day.trades);
    expect(out.day.versions).toEqual(day.versions);
    expect(out.day.changes).toHaveLength(1);
  });

  it("a cancellation across the repeated autumn hour (50-SP day): c is 01:00 GMT, the second 01:00", () => {
    // 2027-10-31: SP 3–4 are 01:00 and 01:30 BST, SP 5–6 01:00 and 01:30 GMT.
    const { day } = workedDay({ date: "2027-10-31", required: { 3: 4, 4: 7, 5: 7, 6: 4 } });
    expect(day.lookAhead.day.periods).toHaveLength(50);
    const change = g5MovesToC2(day, "TC-AUTUMN", "2027-10-31T01:20:00+01:00");
    const out = applyTopologyChange(day, change, ms("2027-10-31T01:25:00+01:00"), CONFIG);
    const p = day.lookAhead.day.periods[out.outcome.cancellationIndex!]!;
    expect([p.sp, p.start]).toEqual([5, "2027-10-31T01:00:00Z"]);
    const t1 = out.day.trades[0]!;
    expect(validIndexes(t1).map((i) => i + 1)).toEqual([3, 4]);
    const v2 = latestVersion(out.day, "C1")!;
    expect(v2.segments.map((s) => [s.firstIndex + 1, s.endIndex])).toEqual([
      [3, 4],
      [5, 6],
    ]);
  });
});

describe("R-VERIFY-8 vetoes", () => {
  const marketId = (day: ReturnType<typeof workedDay>["day"]) => day.markets[0]!.marketId;

  it("before the deadline: the market's trades are vetoed, a version without them is published, each party is told", () => {
    const { day } = workedDay();
    const out = applyVeto(
      day,
      { marketId: marketId(day), reason: "outage" },
      ms("2027-06-13T13:00:00+01:00"),
      CONFIG,
    );
    expect(
      out.day.trades.map((t) => [t.status, t.cancellation?.fromIndex, validIndexes(t).length]),
    ).toEqual([
      ["vetoed", 24, 0],
      ["vetoed", 24, 0],
    ]);
    const v2 = latestVersion(out.day, "C1")!;
    expect(v2).toMatchObject({
      version: 2,
      reason: "dno-veto",
      supersedesVersion: 1,
      segments: [],
    });
    expect(out.outcome).toMatchObject({
      reason: "outage",
      publishedVersions: [{ constraintId: "C1", version: 2 }],
    });
    expect(
      out.events
        .filter((e) => e.type === "trade.cancelled")
        .map((e) => [e.recipient, e.data.reason, e.data.validSpCount]),
    ).toEqual([
      ["g4", "dno-veto", 0],
      ["g5", "dno-veto", 0],
      ["g4", "dno-veto", 0],
      ["g1", "dno-veto", 0],
    ]);
    // Participants whose slices vanish get an empty instruction ("no instruction any more").
    const g5 = out.events.find((e) => e.type === "dispatch.instruction" && e.recipient === "g5")!;
    expect(g5.data.units).toEqual([]);
  });

  it("a repeat returns the first result", () => {
    const { day } = workedDay();
    const first = applyVeto(
      day,
      { marketId: marketId(day), reason: "outage" },
      ms("2027-06-13T13:00:00+01:00"),
      CONFIG,
    );
    const again = applyVeto(
      first.day,
      { marketId: marketId(day), reason: "other" },
      ms("2027-06-13T13:30:00+01:00"),
      CONFIG,
    );
    expect(again).toMatchObject({ replayed: true, outcome: first.outcome, events: [] });
  });

  it.each([
    ["at the deadline", ms("2027-06-13T14:00:00+01:00"), CONFIG, "VETO_DEADLINE_PASSED"],
    [
      "with vetoes off",
      ms("2027-06-13T13:00:00+01:00"),
      { ...CONFIG, vetoDeadline: null },
      "MARKET_NOT_VETOABLE",
    ],
  ])("refuses a veto %s", (_name, at, config, code) => {
    const { day } = workedDay();
    expect(() => applyVeto(day, { marketId: marketId(day), reason: "x" }, at, config)).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it("refuses a market without trades (409 MARKET_NOT_VETOABLE) and an unknown one (404)", () => {
    const { day } = workedDay({ orders: [] });
    expect(() =>
      applyVeto(
        day,
        { marketId: marketId(day), reason: "x" },
        ms("2027-06-13T13:00:00+01:00"),
        CONFIG,
      ),
    ).toThrow(expect.objectContaining({ code: "MARKET_NOT_VETOABLE" }));
    const unknown = marketIdOf("X", "2027-06-14", "C9", 0);
    expect(() => applyVeto(day, { marketId: unknown, reason: "x" }, 0, CONFIG)).toThrow(
      DomainError,
    );
  });
});
