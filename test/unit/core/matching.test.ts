import { describe, expect, it } from "vitest";
import { compatible, matchMarket } from "../../../functions/core/matching/match";
import { compareBids, compareOffers } from "../../../functions/core/matching/rank";
import { tradeIdOf } from "../../../functions/core/model/ids";
import type { Order } from "../../../functions/core/orders/order";

let clock = 0;
const nextTick = () => {
  clock += 1;
  return clock;
};
const o = (
  orderId: string,
  side: "buy" | "sell",
  participantId: string,
  mw: number,
  avail: number,
  util: number,
  submittedAtMs = nextTick(),
): Order => ({
  orderId,
  marketId: "m",
  participantId,
  entryId: `${participantId.toUpperCase()}-A`,
  side,
  quantityKw: Math.round(mw * 1000),
  availabilityPence: avail * 100,
  utilisationPence: util * 100,
  submittedAtMs,
});

const WORKED = () => [
  o("b1", "buy", "g4", 4.5, 20, 40),
  o("b2", "buy", "g3", 1.0, 12, 30),
  o("o1", "sell", "g5", 3.0, 10, 25),
  o("o2", "sell", "g1", 4.0, 14, 32),
  o("o3", "sell", "g1", 4.0, 25, 30),
];
const summary = (orders: Order[]) =>
  matchMarket("m", orders).map(
    (t) =>
      `${t.buyOrderId}x${t.sellOrderId}:${t.quantityKw}@${t.availabilityPence}/${t.utilisationPence}`,
  );

describe("R-MATCH-1 ranking", () => {
  it("ranks bids by total desc, availability desc, submittedAt asc, orderId asc", () => {
    const bids = [
      o("d", "buy", "a", 1, 10, 10, 5),
      o("c", "buy", "a", 1, 10, 10, 5),
      o("b", "buy", "a", 1, 12, 8, 9),
      o("a", "buy", "a", 1, 5, 16, 1),
      o("e", "buy", "a", 1, 30, 0, 1),
      o("f", "buy", "a", 1, 10, 10, 4),
    ];
    expect(bids.sort(compareBids).map((b) => b.orderId)).toEqual(["e", "a", "b", "f", "c", "d"]);
  });

  it("ranks offers by total asc, availability asc, submittedAt asc, orderId asc", () => {
    const offers = [
      o("d", "sell", "a", 1, 10, 10, 5),
      o("c", "sell", "a", 1, 10, 10, 5),
      o("b", "sell", "a", 1, 12, 8, 9),
      o("a", "sell", "a", 1, 5, 16, 1),
      o("e", "sell", "a", 1, 1, 1, 9),
    ];
    expect(offers.sort(compareOffers).map((b) => b.orderId)).toEqual(["e", "c", "d", "b", "a"]);
  });
});

describe("R-MATCH-2 compatibility", () => {
  const bid = o("b", "buy", "g4", 1, 20, 40);
  it.each([
    ["cheaper in both prices", o("s", "sell", "g5", 1, 10, 25), true],
    ["equal in both prices", o("s", "sell", "g5", 1, 20, 40), true],
    ["total above the bid's", o("s", "sell", "g5", 1, 10, 51), false],
    [
      "availability above the bid's although the total is below",
      o("s", "sell", "g5", 1, 25, 30),
      false,
    ],
    ["from the same participant", o("s", "sell", "g4", 1, 10, 25), false],
  ])("an offer %s: %s", (_n, offer, expected) => {
    expect(compatible(bid, offer, () => "")).toBe(expected);
  });

  it("needs the same R-ELIG-5 key on both sides", () => {
    const offer = o("s", "sell", "g5", 1, 10, 25);
    expect(compatible(bid, offer, (x) => (x === bid ? "C2" : ""))).toBe(false);
  });
});

describe("R-MATCH-3 greedy many-to-many matching and R-MATCH-4 pay-as-offer", () => {
  it("matches the worked example: b1 fills from o1 and o2, b2 stops at o2", () => {
    expect(summary(WORKED())).toEqual(["b1xo1:3000@1000/2500", "b1xo2:1500@1400/3200"]);
  });

  it("fills only 3.0 MW when b1's availability price is 12 (o2 and o3 fail the availability test)", () => {
    const orders = WORKED();
    orders[0]!.availabilityPence = 1200;
    orders[0]!.utilisationPence = 4800;
    expect(summary(orders)).toEqual(["b1xo1:3000@1000/2500"]);
  });

  it("lets one offer fill several bids", () => {
    const orders = [
      o("b1", "buy", "a", 1, 20, 20),
      o("b2", "buy", "b", 2, 20, 20),
      o("s1", "sell", "c", 5, 10, 10),
    ];
    expect(summary(orders)).toEqual(["b1xs1:1000@1000/1000", "b2xs1:2000@1000/1000"]);
  });

  it("skips an incompatible offer and keeps walking to a compatible one", () => {
    const orders = [
      o("b1", "buy", "a", 2, 20, 20),
      o("s1", "sell", "a", 5, 1, 1),
      o("s2", "sell", "c", 5, 10, 10),
    ];
    expect(summary(orders)).toEqual(["b1xs2:2000@1000/1000"]);
  });

  it("makes no trade when the best offer is dearer than the best bid", () => {
    expect(summary([o("b1", "buy", "a", 2, 10, 10), o("s1", "sell", "c", 5, 10, 11)])).toEqual([]);
  });
});

describe("R-MATCH-5 determinism", () => {
  it("derives trade ids from (market, bid, offer)", () => {
    const trades = matchMarket("m", WORKED());
    expect(trades[0]!.tradeId).toBe(tradeIdOf("m", "b1", "o1"));
  });

  it("gives byte-identical trades whatever the arrival order", () => {
    const a = JSON.stringify(matchMarket("m", WORKED()));
    const b = JSON.stringify(matchMarket("m", WORKED().reverse()));
    expect(b).toBe(a);
  });
});
