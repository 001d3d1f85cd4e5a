import { describe, expect, it } from "vitest";
import { DEFAULT_MARKET_CONFIG } from "../../../functions/core/config/market-config";
import { LookAheadSchema, toLookAhead } from "../../../functions/core/model/look-ahead";
import { deriveOpportunities, type EntryClaim } from "../../../functions/core/opportunities/derive";
import { type ConstraintSpec, claimsFor, lookAheadBody } from "../../support/look-ahead-builder";

const WORKED: ConstraintSpec = {
  constraintId: "C1",
  required: { 25: 4, 26: 7, 27: 7, 28: 4 },
  mol: [
    { entryId: "G4-A", capacityMw: 5, forecastMw: 4.5 },
    { entryId: "G3-B", capacityMw: 2, forecastMw: 1.5 },
    { entryId: "G3-A", capacityMw: 4, forecastMw: 3.5 },
    {
      entryId: "G2-A",
      capacityMw: 8,
      forecastMw: 6,
      flexibleServiceWindows: [{ start: "2027-06-14T10:00:00Z", end: "2027-06-14T14:00:00Z" }],
    },
    { entryId: "G5-A", capacityMw: 3, forecastMw: 3 },
    { entryId: "G1-A", capacityMw: 10, forecastMw: 8 },
  ],
};
const OWNERS = { "G4-A": "g4", "G3-A": "g3", "G2-A": "g2", "G5-A": "g5", "G1-A": "g1" };

function derive(
  constraints: ConstraintSpec[],
  claims: Map<string, EntryClaim> = claimsFor(OWNERS),
  deratingPermille = 1000,
) {
  const la = toLookAhead(LookAheadSchema.parse(lookAheadBody("2027-06-14", constraints)));
  return deriveOpportunities(la, claims, { ...DEFAULT_MARKET_CONFIG, deratingPermille });
}

const sides = (book: ReturnType<typeof derive>) =>
  book.opportunities.map((o) => `${o.entryId}:${o.side}:${o.maxQuantityKw}`);

describe("R-ELIG-1 eligibility", () => {
  it("gives opportunities only to claimed, tradable entries with no overlapping flexible service window", () => {
    expect(sides(derive([WORKED]))).toEqual([
      "G4-A:buy:4500",
      "G3-A:buy:1000",
      "G5-A:sell:3000",
      "G1-A:sell:8000",
    ]);
  });

  it("excludes an entry the DNO flags as not tradable", () => {
    const spec = structuredClone(WORKED);
    spec.mol[5]!.tradable = false;
    expect(sides(derive([spec]))).not.toContain("G1-A:sell:8000");
  });

  it("excludes an entry whose asset registration has a contract overlapping the window", () => {
    const claims = claimsFor(OWNERS);
    claims.set("G5-A", {
      ...claims.get("G5-A")!,
      flexibleServiceWindows: [
        { startMs: Date.parse("2027-06-14T12:59:00Z"), endMs: Date.parse("2027-06-14T16:00:00Z") },
      ],
    });
    expect(sides(derive([WORKED], claims))).not.toContain("G5-A:sell:3000");
  });

  it("keeps an entry whose contract window only touches the market window (half-open)", () => {
    const claims = claimsFor(OWNERS);
    claims.set("G5-A", {
      ...claims.get("G5-A")!,
      flexibleServiceWindows: [
        { startMs: Date.parse("2027-06-14T13:00:00Z"), endMs: Date.parse("2027-06-14T16:00:00Z") },
      ],
    });
    expect(sides(derive([WORKED], claims))).toContain("G5-A:sell:3000");
  });

  it("still counts ineligible entries in allocation", () => {
    const book = derive([WORKED]);
    // G3-B is unclaimed, yet it absorbs 1.5 MW ahead of G3-A.
    expect(book.opportunities.find((o) => o.entryId === "G3-A")!.predictedCurtailmentKw).toEqual([
      0, 1000, 1000, 0,
    ]);
  });
});

describe("R-ELIG-2 buyers and R-ELIG-3 sellers", () => {
  it("sizes a buyer at its peak predicted curtailment over the window", () => {
    const g4 = derive([WORKED]).opportunities.find((o) => o.entryId === "G4-A")!;
    expect(g4.predictedCurtailmentKw).toEqual([4000, 4500, 4500, 4000]);
    expect(g4.maxQuantityKw).toBe(4500);
  });

  it("sizes a seller at k × its minimum forecast over the window, floored to whole kW", () => {
    const spec = structuredClone(WORKED);
    spec.mol[4]!.forecastMw = Array.from({ length: 48 }, (_, i) => (i === 26 ? 2.333 : 3));
    const book = derive([spec], claimsFor(OWNERS), 900);
    expect(book.opportunities.find((o) => o.entryId === "G5-A")!.maxQuantityKw).toBe(2099); // 0.9 × 2333 = 2099.7
    expect(book.opportunities.find((o) => o.entryId === "G1-A")!.maxQuantityKw).toBe(7200);
  });

  it("does not make an entry with zero forecast in some SP of the window a seller", () => {
    const spec = structuredClone(WORKED);
    spec.mol[4]!.forecastMw = Array.from({ length: 48 }, (_, i) => (i === 27 ? 0 : 3));
    expect(sides(derive([spec])).filter((s) => s.startsWith("G5-A"))).toEqual([]);
  });
});

describe("R-ELIG-4 an entry is never both buyer and seller in one market", () => {
  it("makes an entry curtailed in one SP a buyer only, even if it produces uncurtailed in others", () => {
    const book = derive([WORKED]);
    const g3a = book.opportunities.filter((o) => o.entryId === "G3-A");
    expect(g3a.map((o) => o.side)).toEqual(["buy"]);
  });

  it("D-4: does not offer a sell opportunity that overlaps the entry's buy opportunity in another market", () => {
    const c1: ConstraintSpec = {
      constraintId: "C1",
      required: { 25: 2 },
      mol: [
        { entryId: "X-A", capacityMw: 5 },
        { entryId: "Y-A", capacityMw: 5 },
      ],
    };
    const c2: ConstraintSpec = {
      constraintId: "C2",
      required: { 25: 1 },
      mol: [
        { entryId: "Z-A", capacityMw: 5 },
        { entryId: "X-A", capacityMw: 5 },
      ],
    };
    const book = derive([c1, c2], claimsFor({ "X-A": "x", "Y-A": "y", "Z-A": "z" }));
    expect(
      book.opportunities
        .filter((o) => o.entryId === "X-A")
        .map((o) => `${o.constraintId}:${o.side}`),
    ).toEqual(["C1:buy"]);
  });
});

describe("R-ELIG-5 entries behind several active constraints", () => {
  it("records the other constraints with an overlapping event that hold the entry", () => {
    const c1: ConstraintSpec = {
      constraintId: "C1",
      required: { 25: 2, 26: 2 },
      mol: [
        { entryId: "X-A", capacityMw: 5 },
        { entryId: "Y-A", capacityMw: 5 },
        { entryId: "W-A", capacityMw: 5 },
      ],
    };
    const c2: ConstraintSpec = {
      constraintId: "C2",
      required: { 26: 1 },
      mol: [
        { entryId: "Z-A", capacityMw: 5 },
        { entryId: "Y-A", capacityMw: 5 },
      ],
    };
    const c3: ConstraintSpec = {
      constraintId: "C3",
      required: { 30: 1 },
      mol: [{ entryId: "W-A", capacityMw: 5 }],
    };
    const book = derive(
      [c1, c2, c3],
      claimsFor({ "X-A": "x", "Y-A": "y", "Z-A": "z", "W-A": "w" }),
    );
    const inC1 = book.opportunities.filter((o) => o.constraintId === "C1");
    expect(inC1.map((o) => [o.entryId, o.side, o.sharedConstraintIds])).toEqual([
      ["X-A", "buy", []],
      ["Y-A", "sell", ["C2"]],
      ["W-A", "sell", []], // C3's event does not overlap C1's window
    ]);
  });
});

describe("R-ELIG-6 opportunity details", () => {
  it("reports MW ahead at the event's peak SP and the market depth", () => {
    const book = derive([WORKED]);
    expect(book.opportunities.map((o) => [o.entryId, o.mwAheadKw, o.curtailmentOrder])).toEqual([
      ["G4-A", 0, 1],
      ["G3-A", 6000, 3],
      ["G5-A", 15_500, 5],
      ["G1-A", 18_500, 6],
    ]);
    expect(book.markets).toHaveLength(1);
    expect(book.markets[0]!.depth).toEqual({ buyKw: 5500, sellKw: 11_000 });
    expect(book.markets[0]!.constraintSizeKw).toBe(7000);
  });

  it("opens a market for an event even when nobody is eligible", () => {
    const book = derive([WORKED], new Map());
    expect(book.markets).toHaveLength(1);
    expect(book.opportunities).toEqual([]);
    expect(book.markets[0]!.depth).toEqual({ buyKw: 0, sellKw: 0 });
  });
});
