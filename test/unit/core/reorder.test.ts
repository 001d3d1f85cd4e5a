import { describe, expect, it } from "vitest";
import { marketConfigOf } from "../../../functions/core/config/market-config";
import { DomainError, NeutralityViolationError } from "../../../functions/core/errors";
import type { Trade } from "../../../functions/core/matching/match";
import { reorderMeritOrders, reorderWindow } from "../../../functions/core/merit-order/reorder";
import { LookAheadSchema, type Mol, toLookAhead } from "../../../functions/core/model/look-ahead";
import { deriveOpportunities } from "../../../functions/core/opportunities/derive";
import { claimsFor, type EntrySpec, lookAheadBody } from "../../support/look-ahead-builder";

/** A MOL over a 1-SP day slice [0, n) built from specs; forecasts are per-SP arrays in kW. */
function mol(entries: { entryId: string; capacityKw: number; forecastKw: number[] }[]): Mol {
  return {
    constraintId: "C1",
    version: 1,
    entries: entries.map((e, i) => ({
      ...e,
      resourceId: e.entryId.split("-")[0]!,
      curtailmentOrder: i + 1,
      tradable: true,
      flexibleServiceWindows: [],
    })),
  };
}

const trade = (
  tradeId: string,
  buyEntryId: string,
  sellEntryId: string,
  quantityKw: number,
  sequence = 0,
): Trade => ({
  tradeId,
  marketId: "m",
  sequence,
  buyOrderId: `b-${tradeId}`,
  sellOrderId: `s-${tradeId}`,
  buyEntryId,
  sellEntryId,
  buyParticipantId: buyEntryId,
  sellParticipantId: sellEntryId,
  quantityKw,
  availabilityPence: 0,
  utilisationPence: 0,
});

/** A before/after picture: one row per line, `order entry capacity | curtailment per SP` (MW). */
const picture = (lines: ReturnType<typeof reorderWindow>) =>
  lines.map(
    (l) =>
      `${l.curtailmentOrder} ${l.entryId} ${l.capacityKw / 1000} | ${l.curtailmentKw.map((c) => c / 1000).join(" ")}`,
  );

describe("R-REORDER-1..4 the worked example", () => {
  const WORKED: EntrySpec[] = [
    { entryId: "G4-A", capacityMw: 5, forecastMw: 4.5 },
    { entryId: "G3-B", capacityMw: 2, forecastMw: 1.5 },
    { entryId: "G3-A", capacityMw: 4, forecastMw: 3.5 },
    { entryId: "G2-A", capacityMw: 8, forecastMw: 6 },
    { entryId: "G5-A", capacityMw: 3, forecastMw: 3 },
    { entryId: "G1-A", capacityMw: 10, forecastMw: 8 },
  ];
  const la = toLookAhead(
    LookAheadSchema.parse(
      lookAheadBody("2027-06-14", [
        { constraintId: "C1", required: { 25: 4, 26: 7, 27: 7, 28: 4 }, mol: WORKED },
      ]),
    ),
  );
  const book = deriveOpportunities(
    la,
    claimsFor({ "G4-A": "g4", "G3-A": "g3", "G5-A": "g5", "G1-A": "g1" }),
    marketConfigOf(),
  );
  const T1 = trade("T1", "G4-A", "G5-A", 3000, 0);
  const T2 = trade("T2", "G4-A", "G1-A", 1500, 1);
  T1.marketId = T2.marketId = book.markets[0]!.marketId;

  it("turns the original MOL into the re-ordered one with recalculated curtailment", () => {
    const before = [
      "1 G4-A 5 | 4 4.5 4.5 4",
      "2 G3-B 2 | 0 1.5 1.5 0",
      "3 G3-A 4 | 0 1 1 0",
      "4 G2-A 8 | 0 0 0 0",
      "5 G5-A 3 | 0 0 0 0",
      "6 G1-A 10 | 0 0 0 0",
    ];
    expect(
      picture(reorderWindow(la.mols.get("C1")!, [4000, 7000, 7000, 4000], 24, 28, [])),
    ).toEqual(before);
    const [c1] = reorderMeritOrders(la, book.markets, [
      { trade: T1, constraintIds: ["C1"] },
      { trade: T2, constraintIds: ["C1"] },
    ]);
    expect(c1!.segments).toHaveLength(1);
    expect(new Date(c1!.segments[0]!.validFromMs).toISOString()).toBe("2027-06-14T11:00:00.000Z");
    expect(picture(c1!.segments[0]!.entries)).toEqual([
      "1 G4-A/rem 0.5 | 0 0 0 0",
      "2 G5-A/T1 3 | 3 3 3 3",
      "3 G1-A/T2 1.5 | 1 1.5 1.5 1",
      "4 G3-B 2 | 0 1.5 1.5 0",
      "5 G3-A 4 | 0 1 1 0",
      "6 G2-A 8 | 0 0 0 0",
      "7 G4-A/T1 3 | 0 0 0 0",
      "8 G4-A/T2 1.5 | 0 0 0 0",
      "9 G1-A/rem 8.5 | 0 0 0 0",
    ]);
  });

  it("R-REORDER-6 lines carry parentEntryId and tradeId for slices", () => {
    const [c1] = reorderMeritOrders(la, book.markets, [{ trade: T1, constraintIds: ["C1"] }]);
    const lines = c1!.segments[0]!.entries;
    expect(lines.find((l) => l.entryId === "G5-A/T1")).toMatchObject({
      parentEntryId: "G5-A",
      tradeId: "T1",
      resourceId: "G5",
    });
    expect(lines.find((l) => l.entryId === "G3-A")).toMatchObject({ parentEntryId: "G3-A" });
    expect(lines.find((l) => l.entryId === "G3-A")!.tradeId).toBeUndefined();
  });

  it("leaves a constraint without trades out: its original MOL stands", () => {
    expect(reorderMeritOrders(la, book.markets, [])).toEqual([]);
  });
});

describe("R-REORDER-2 forecast split", () => {
  it("gives the buyer's slices its forecast in matching order and the seller's slices the same MW", () => {
    const m = mol([
      { entryId: "B-A", capacityKw: 5000, forecastKw: [4500, 2000] },
      { entryId: "S-A", capacityKw: 6000, forecastKw: [6000, 6000] },
      { entryId: "U-A", capacityKw: 9000, forecastKw: [9000, 9000] },
    ]);
    const lines = reorderWindow(m, [4500, 2000], 0, 2, [
      trade("T1", "B-A", "S-A", 3000, 0),
      trade("T2", "B-A", "S-A", 1500, 1),
    ]);
    const f = Object.fromEntries(lines.map((l) => [l.entryId, l.forecastKw]));
    expect(f).toEqual({
      "B-A/rem": [0, 0],
      "S-A/T1": [3000, 2000],
      "S-A/T2": [1500, 0],
      "B-A/T1": [3000, 2000],
      "B-A/T2": [1500, 0],
      "S-A/rem": [1500, 4000],
      "U-A": [9000, 9000],
    });
    expect(lines.find((l) => l.entryId === "B-A/rem")!.capacityKw).toBe(500);
  });

  it("D-5 keeps a seller's remainder with no capacity left while it still carries forecast", () => {
    const m = mol([
      { entryId: "B-A", capacityKw: 5000, forecastKw: [2000] },
      { entryId: "S-A", capacityKw: 3000, forecastKw: [3000] },
    ]);
    const lines = reorderWindow(m, [2000], 0, 1, [trade("T1", "B-A", "S-A", 3000)]);
    expect(lines.map((l) => [l.entryId, l.capacityKw, l.forecastKw[0]])).toEqual([
      ["B-A/rem", 2000, 0],
      ["S-A/T1", 3000, 2000],
      ["B-A/T1", 3000, 2000],
      ["S-A/rem", 0, 1000],
    ]);
  });

  it("orders a seller's incoming slices by the buyers' original curtailmentOrder", () => {
    const m = mol([
      { entryId: "B1-A", capacityKw: 2000, forecastKw: [2000] },
      { entryId: "B2-A", capacityKw: 2000, forecastKw: [2000] },
      { entryId: "S-A", capacityKw: 9000, forecastKw: [9000] },
    ]);
    const lines = reorderWindow(m, [4000], 0, 1, [
      trade("T1", "B2-A", "S-A", 1000, 0),
      trade("T2", "B1-A", "S-A", 1000, 1),
    ]);
    expect(lines.map((l) => l.entryId)).toEqual([
      "B1-A/rem",
      "S-A/T2",
      "B2-A/rem",
      "S-A/T1",
      "B1-A/T2",
      "B2-A/T1",
      "S-A/rem",
    ]);
  });
});

describe("R-REORDER-5 neutrality check", () => {
  it("fails loudly when a swap would change an untraded entry's curtailment", () => {
    // S cannot deliver the 3 MW it sold in this SP (forecast 1 MW): U behind it would gain.
    const m = mol([
      { entryId: "B-A", capacityKw: 5000, forecastKw: [5000] },
      { entryId: "S-A", capacityKw: 5000, forecastKw: [1000] },
      { entryId: "U-A", capacityKw: 10_000, forecastKw: [10_000] },
    ]);
    expect(() => reorderWindow(m, [7000], 0, 1, [trade("T1", "B-A", "S-A", 3000)])).toThrow(
      NeutralityViolationError,
    );
  });

  it("refuses an entry that is both buyer and seller in one window (R-ELIG-4)", () => {
    const m = mol([
      { entryId: "A-A", capacityKw: 5000, forecastKw: [5000] },
      { entryId: "B-A", capacityKw: 5000, forecastKw: [5000] },
      { entryId: "C-A", capacityKw: 5000, forecastKw: [5000] },
    ]);
    expect(() =>
      reorderWindow(m, [1000], 0, 1, [
        trade("T1", "A-A", "B-A", 1000),
        trade("T2", "B-A", "C-A", 1000),
      ]),
    ).toThrow(DomainError);
  });
});
