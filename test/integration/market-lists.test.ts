import { beforeAll, describe, expect, it } from "vitest";
import { onboard, type Trader, waitFor } from "../../lib/client/api-client";
import { lookAheadBody } from "../support/look-ahead-builder";
import { useLocalStack } from "../support/use-local-stack";

/**
 * api.md, Conventions: "Lists return `{ items, nextToken? }`; `limit` ≤ 100", for the day-ahead
 * market lists (GET /opportunities, /markets, /orders, /trades, /cycles) over real HTTP on the
 * local stack: walking the pages returns every item once, in the order of one big page; bad
 * `limit`s, forged tokens and unknown parameters are 400 naming the parameter.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const local = useLocalStack();

const DATE = "2027-09-07";
const SCHEME = `LISTS-${process.pid}`;
const CONSTRAINTS = ["C0", "C1", "C2"];
const ENTRIES = 6; // per constraint: the first 3 are curtailed (buyers), the last 3 are not
const GATE_IN_MS = 20_000;

/** Two events per constraint (SPs 20–23 and 30–33): 3 MW curtailed out of 6 × 1 MW. */
function lookAhead(anmSchemeId: string, gateInMs: number) {
  const required: Record<number, number> = {};
  for (const sp of [20, 21, 22, 23, 30, 31, 32, 33]) required[sp] = 3;
  return lookAheadBody(
    DATE,
    CONSTRAINTS.map((constraintId) => ({
      constraintId,
      required,
      mol: Array.from({ length: ENTRIES }, (_, i) => ({
        entryId: `${constraintId}E${i}-A`,
        capacityMw: 2,
        forecastMw: 1,
      })),
    })),
    {
      lookAheadId: `LA-${anmSchemeId}`,
      anmSchemeId,
      issuedAt: new Date().toISOString(),
      gateClosureAt: new Date(Date.now() + gateInMs).toISOString(),
    },
  );
}

const entriesOf = (from: number, to: number) =>
  CONSTRAINTS.flatMap((c) => Array.from({ length: to - from }, (_, i) => `${c}E${from + i}-A`));

/** Every page of `path` with `limit`, checking each page's size and that tokens end the walk. */
async function walk(path: string, key: string, limit: number): Promise<unknown[]> {
  const items: unknown[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 200; page += 1) {
    const sep = path.includes("?") ? "&" : "?";
    const token = nextToken === undefined ? "" : `&nextToken=${encodeURIComponent(nextToken)}`;
    const body = await local.api.expect(200, "GET", `${path}${sep}limit=${limit}${token}`, { key });
    expect(Object.keys(body).sort()).toEqual(
      body.nextToken === undefined ? ["items"] : ["items", "nextToken"],
    );
    items.push(...body.items);
    if (body.nextToken === undefined) {
      expect(body.items.length).toBeLessThanOrEqual(limit);
      return items;
    }
    expect(body.items).toHaveLength(limit);
    expect(body.nextToken).toMatch(/^[A-Za-z0-9_-]+$/);
    nextToken = body.nextToken;
  }
  throw new Error(`${path}: more than 200 pages`);
}

/** One big page (no limit: the default of 100), which must hold everything here. */
async function whole(path: string, key: string): Promise<unknown[]> {
  const body = await local.api.expect(200, "GET", path, { key });
  expect(body.nextToken).toBeUndefined();
  const explicit = await local.api.expect(
    200,
    "GET",
    `${path}${path.includes("?") ? "&" : "?"}limit=100`,
    {
      key,
    },
  );
  expect(explicit).toEqual(body);
  return body.items;
}

/** Walks with several page sizes: each gives exactly the big page, in its order. */
async function expectPagesMatch(path: string, key: string, minimum: number) {
  const all = await whole(path, key);
  expect(all.length).toBeGreaterThanOrEqual(minimum);
  for (const limit of [1, 2, 7]) expect(await walk(path, key, limit)).toEqual(all);
  return all;
}

const idsOf = (items: unknown[], field: string) =>
  items.map((i) => (i as Record<string, string>)[field]);

describe("paging of the day-ahead market lists", () => {
  let buyer: Trader;
  let seller: Trader;
  let cycleId: string;

  beforeAll(async () => {
    buyer = await onboard(local.api, local.stack.keys.operator, {
      name: "LISTB",
      anmSchemeId: SCHEME,
      entryIds: entriesOf(0, 3),
      exportCapacityMw: 100,
    });
    seller = await onboard(local.api, local.stack.keys.operator, {
      name: "LISTS",
      anmSchemeId: SCHEME,
      entryIds: entriesOf(3, ENTRIES),
      exportCapacityMw: 100,
    });
    // Two more schemes of the same day, gate an hour away: more cycles and markets to page.
    for (const other of [`${SCHEME}-X`, `${SCHEME}-Y`])
      await local.api.expect(202, "POST", "/anm/look-aheads", {
        key: local.stack.keys.anm,
        body: lookAhead(other, 3_600_000),
      });
    ({ cycleId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body: lookAhead(SCHEME, GATE_IN_MS),
    }));
    await waitFor(
      () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: local.stack.keys.operator }),
      (c) => c.status === "markets-open",
    );
  }, 60_000);

  it("GET /opportunities: every opportunity once, in the big page's order", async () => {
    for (const trader of [buyer, seller]) {
      const all = await expectPagesMatch(`/opportunities?deliveryDate=${DATE}`, trader.apiKey, 18);
      expect(all).toHaveLength(18); // 3 constraints × 2 events × 3 entries
      expect(new Set(idsOf(all, "opportunityId")).size).toBe(18);
    }
  });

  it("GET /orders, then GET /trades after matching: every item once, in the big page's order", async () => {
    const path = `/opportunities?deliveryDate=${DATE}`;
    for (const [trader, prices] of [
      [buyer, { availabilityPrice: 20, utilisationPrice: 40 }],
      [seller, { availabilityPrice: 10, utilisationPrice: 20 }],
    ] as const) {
      const { items } = await local.api.expect(200, "GET", path, { key: trader.apiKey });
      for (const o of items)
        await local.api.expect(201, "POST", "/orders", {
          key: trader.apiKey,
          body: {
            marketId: o.marketId,
            entryId: o.entryId,
            side: o.side,
            quantityMw: 0.5,
            ...prices,
            ...(o.side === "sell" ? { serviceType: "generation-turn-down" } : {}),
          },
        });
    }
    const cycle = await waitFor(
      () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: local.stack.keys.operator }),
      (c) => c.status === "published" || c.status === "failed",
      GATE_IN_MS + 40_000,
    );
    expect(cycle.status).toBe("published");

    const orders = await expectPagesMatch("/orders", buyer.apiKey, 18);
    expect(orders).toHaveLength(18);
    expect(new Set(idsOf(orders, "orderId")).size).toBe(18);
    const marketId = idsOf(orders, "marketId")[0]!;
    const ofMarket = await expectPagesMatch(`/orders?marketId=${marketId}`, buyer.apiKey, 3);
    expect(ofMarket).toEqual(
      orders.filter((o) => (o as { marketId: string }).marketId === marketId),
    );

    const trades = await expectPagesMatch(
      `/trades?deliveryDate=${DATE}`,
      local.stack.keys.operator,
      6,
    );
    expect(new Set(idsOf(trades, "tradeId")).size).toBe(trades.length);
    const own = await expectPagesMatch(`/trades?deliveryDate=${DATE}`, seller.apiKey, 6);
    expect(idsOf(own, "tradeId").sort()).toEqual(idsOf(trades, "tradeId").sort());
  }, 120_000);

  it("GET /markets and GET /cycles: every item once, in the big page's order", async () => {
    const markets = await expectPagesMatch(
      `/markets?deliveryDate=${DATE}`,
      local.stack.keys.operator,
      18,
    );
    expect(markets).toHaveLength(18); // 3 schemes × 3 constraints × 2 events
    const starts = markets.map((m) => (m as { windowStart: string }).windowStart);
    expect(starts).toEqual([...starts].sort());
    const cycles = await expectPagesMatch(
      `/cycles?deliveryDate=${DATE}`,
      local.stack.keys.operator,
      3,
    );
    expect(cycles).toHaveLength(3);
  });

  it("refuses a limit outside 1–100 or not a number, naming limit", async () => {
    for (const limit of ["0", "101", "abc", "-1", "1.5", ""]) {
      for (const [path, key] of [
        [`/opportunities?deliveryDate=${DATE}`, buyer.apiKey],
        [`/markets?deliveryDate=${DATE}`, local.stack.keys.operator],
        ["/orders?marketId=M1", buyer.apiKey],
        [`/trades?deliveryDate=${DATE}`, local.stack.keys.operator],
        [`/cycles?deliveryDate=${DATE}`, local.stack.keys.operator],
      ] as const) {
        const response = await local.api.request("GET", `${path}&limit=${limit}`, { key });
        expect([path, limit, response.status, response.body.code]).toEqual([
          path,
          limit,
          400,
          "VALIDATION_FAILED",
        ]);
        expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual(["limit"]);
      }
    }
  });

  it("refuses a nextToken that is not this list's, naming nextToken", async () => {
    const token = (value: unknown) =>
      Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
    const first = await local.api.expect(200, "GET", `/orders?limit=1`, { key: buyer.apiKey });
    expect(first.nextToken).toBeDefined();
    const opportunities = await local.api.expect(
      200,
      "GET",
      `/opportunities?deliveryDate=${DATE}&limit=1`,
      {
        key: buyer.apiKey,
      },
    );
    const forged: [string, string, string][] = [
      ["/orders?", "not-a-token", buyer.apiKey],
      ["/orders?", token({ list: "orders", scope: "", after: [1, 2] }), buyer.apiKey],
      ["/orders?", token({ list: "orders", scope: "", after: ["a"] }), buyer.apiKey],
      ["/orders?", token(["orders", "", "a", "b"]), buyer.apiKey],
      ["/orders?marketId=M1&", first.nextToken, buyer.apiKey], // another scope
      ["/orders?", "has!bang", buyer.apiKey],
      [`/markets?deliveryDate=${DATE}&`, opportunities.nextToken, local.stack.keys.operator], // another list
      [`/opportunities?deliveryDate=2027-09-08&`, opportunities.nextToken, buyer.apiKey], // another day
      [
        `/trades?deliveryDate=${DATE}&`,
        token({ list: "trades", scope: DATE, after: [] }),
        local.stack.keys.operator,
      ],
      [`/cycles?deliveryDate=${DATE}&`, token({ pk: `CYCLES#${DATE}` }), local.stack.keys.operator],
    ];
    for (const [path, nextToken, key] of forged) {
      const response = await local.api.request(
        "GET",
        `${path}nextToken=${encodeURIComponent(nextToken)}`,
        {
          key,
        },
      );
      expect([path, nextToken, response.status, response.body.code]).toEqual([
        path,
        nextToken,
        400,
        "VALIDATION_FAILED",
      ]);
      expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual(["nextToken"]);
    }
    // The genuine token still works on its own list.
    await local.api.expect(200, "GET", `/orders?limit=1&nextToken=${first.nextToken}`, {
      key: buyer.apiKey,
    });
  });

  it("names each unknown query parameter as the path, not body", async () => {
    const one = await local.api.request("GET", `/markets?deliveryDate=${DATE}&colour=red`, {
      key: local.stack.keys.operator,
    });
    expect([one.status, one.body.code]).toEqual([400, "VALIDATION_FAILED"]);
    expect(one.body.errors).toEqual([{ path: "colour", message: "unknown parameter" }]);

    const two = await local.api.request("GET", `/orders?size=1&page=2`, { key: buyer.apiKey });
    expect([two.status, two.body.code]).toEqual([400, "VALIDATION_FAILED"]);
    expect(two.body.errors).toEqual([
      { path: "size", message: "unknown parameter" },
      { path: "page", message: "unknown parameter" },
    ]);

    const mixed = await local.api.request("GET", `/cycles?limit=0&colour=red`, {
      key: local.stack.keys.operator,
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "colour",
      "deliveryDate",
      "limit",
    ]);

    // Other routes' queries too (participants, merit order).
    const participants = await local.api.request("GET", "/participants?colour=red", {
      key: local.stack.keys.operator,
    });
    expect(participants.body.errors).toEqual([{ path: "colour", message: "unknown parameter" }]);
  });
});
