import { randomUUID } from "node:crypto";
import { ListExecutionsCommand, SFNClient } from "@aws-sdk/client-sfn";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../functions/adapters/clock";
import { cycleIdOf } from "../../functions/core/use-cases/submit-look-ahead";
import { clockSource } from "../../functions/runtime/deps";
import { onboard, type Trader, waitFor } from "../../lib/client/api-client";
import { useLocalStack } from "../support/use-local-stack";
import { workedExample } from "../support/worked-example";

/**
 * R-IN-2/3 replays and revisions, R-GATE-1 at the boundary with an injected clock, and R-ORDER-2
 * under racing orders — all through real HTTP on the local stack.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const local = useLocalStack();
const scenario = workedExample();

afterEach(() => {
  clockSource.current = systemClock;
});

let schemeCount = 0;
/** The worked example's look-ahead for a fresh scheme, gate closure `gateInMs` from now. */
function lookAhead(gateInMs: number, lookAheadId = `LA-${Date.now()}-${schemeCount}`) {
  schemeCount += 1;
  return {
    ...structuredClone(scenario.lookAhead),
    anmSchemeId: `TEST-${process.pid}-${schemeCount}`,
    lookAheadId,
    gateClosureAt: new Date(Date.now() + gateInMs).toISOString(),
  };
}

/** How many executions of the cycle exist, whatever their attempt (`<cycleId>-<n>`, D-132). */
async function executionsOf(cycleId: string): Promise<number> {
  const sfn = new SFNClient({
    region: "eu-west-2",
    endpoint: local.stack.sfnEndpoint,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  const { executions } = await sfn.send(
    new ListExecutionsCommand({ stateMachineArn: local.stack.stateMachineArn, maxResults: 1000 }),
  );
  sfn.destroy();
  return (executions ?? []).filter((e) => e.name?.startsWith(`${cycleId}-`)).length;
}

/** A look-ahead refused with 409 `code`, leaving the cycle `cycleId` as it was (not superseded). */
async function expectRefusedKeepingCycle(body: unknown, code: string, cycleId: string) {
  const response = await local.api.request("POST", "/anm/look-aheads", {
    key: local.stack.keys.anm,
    body,
  });
  expect(response.status).toBe(409);
  expect(response.body.code).toBe(code);
  const cycle = await local.api.expect(200, "GET", `/cycles/${cycleId}`, {
    key: local.stack.keys.operator,
  });
  expect(cycle.status).not.toBe("superseded");
}

describe("R-IN-2 the look-ahead id is the idempotency key", () => {
  it("replayed 100× sequentially and 20× concurrently yields one cycle and one execution", async () => {
    const body = lookAhead(3_600_000);
    const first = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body,
    });
    for (let i = 0; i < 100; i += 1) {
      const again = await local.api.expect(202, "POST", "/anm/look-aheads", {
        key: local.stack.keys.anm,
        body,
      });
      expect(again.cycleId).toBe(first.cycleId);
    }
    const concurrent = await Promise.all(
      Array.from({ length: 20 }, () =>
        local.api.request("POST", "/anm/look-aheads", { key: local.stack.keys.anm, body }),
      ),
    );
    expect(concurrent.map((r) => r.status)).toEqual(Array(20).fill(202));
    expect(new Set(concurrent.map((r) => r.body.cycleId))).toEqual(new Set([first.cycleId]));
    const { items } = await local.api.expect(
      200,
      "GET",
      `/cycles?deliveryDate=${body.deliveryDate}`,
      {
        key: local.stack.keys.operator,
      },
    );
    expect(
      items.filter((c: { anmSchemeId: string }) => c.anmSchemeId === body.anmSchemeId),
    ).toHaveLength(1);
    expect(await executionsOf(first.cycleId)).toBe(1);
  });

  it("20 concurrent first posts of a new look-ahead still make one cycle and one execution", async () => {
    const body = lookAhead(3_600_000);
    const all = await Promise.all(
      Array.from({ length: 20 }, () =>
        local.api.request("POST", "/anm/look-aheads", { key: local.stack.keys.anm, body }),
      ),
    );
    expect(all.map((r) => r.status)).toEqual(Array(20).fill(202));
    const ids = new Set(all.map((r) => r.body.cycleId));
    expect(ids.size).toBe(1);
    expect(await executionsOf([...ids][0])).toBe(1);
  });

  it("refuses the same id with another body: 409 LOOK_AHEAD_CONFLICT, nothing changed", async () => {
    const body = lookAhead(3_600_000);
    const first = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body,
    });
    const other = structuredClone(body);
    other.constraints[0].requiredCurtailmentMw[30] = 1;
    await expectRefusedKeepingCycle(other, "LOOK_AHEAD_CONFLICT", first.cycleId);
  });
});

describe("R-IN-2, D-40: Idempotency-Key on POST /anm/look-aheads (api.md Conventions)", () => {
  it("replays the first answer for the same body; another body under the key is 422 and stores nothing", async () => {
    const headers = { "Idempotency-Key": randomUUID() };
    const body = lookAhead(3_600_000);
    const first = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body,
      headers,
    });
    const again = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body,
      headers,
    });
    expect(again).toEqual(first);
    const other = lookAhead(3_600_000);
    const reused = await local.api.request("POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body: other,
      headers,
    });
    expect([reused.status, reused.body.code]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
    const otherCycle = await local.api.request(
      "GET",
      `/cycles/${cycleIdOf(other.anmSchemeId, other.lookAheadId)}`,
      {
        key: local.stack.keys.operator,
      },
    );
    expect(otherCycle.status).toBe(404);
    expect(await executionsOf(first.cycleId)).toBe(1);
  });
});

describe("R-IN-1 invalid look-aheads are refused and nothing is stored", () => {
  it.each([
    [
      "a CLA of the wrong length",
      (b: any) => b.constraints[0].requiredCurtailmentMw.pop(),
      422,
      "LOOK_AHEAD_INVALID",
      "constraints.0.requiredCurtailmentMw",
    ],
    [
      "duplicate entries",
      (b: any) => {
        b.mols[0].entries[1].entryId = "G4-A";
      },
      422,
      "LOOK_AHEAD_INVALID",
      "mols.0.entries.1.entryId",
    ],
    [
      "a gate closure in the past",
      (b: any) => {
        b.gateClosureAt = "2020-01-01T12:00:00Z";
      },
      422,
      "LOOK_AHEAD_INVALID",
      "gateClosureAt",
    ],
    [
      "an unknown field",
      (b: any) => {
        b.colour = "red";
      },
      400,
      "VALIDATION_FAILED",
      "body",
    ],
  ])("%s", async (_name, mutate, status, code, path) => {
    const body = lookAhead(3_600_000);
    mutate(body);
    const response = await local.api.request("POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body,
    });
    expect(response.status).toBe(status);
    expect(response.body.code).toBe(code);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    const { items } = await local.api.expect(
      200,
      "GET",
      `/cycles?deliveryDate=${body.deliveryDate}`,
      {
        key: local.stack.keys.operator,
      },
    );
    expect(
      items.filter((c: { anmSchemeId: string }) => c.anmSchemeId === body.anmSchemeId),
    ).toEqual([]);
  });
});

describe("R-IN-3 revisions", () => {
  it("supersedes the day's cycle before gate closure: earlier markets and orders cancelled", async () => {
    const first = lookAhead(3_600_000);
    const trader = await onboard(local.api, local.stack.keys.operator, {
      name: "G4",
      anmSchemeId: first.anmSchemeId,
      entryIds: ["G4-A"],
    });
    const a = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body: first,
    });
    await waitFor(
      () =>
        local.api.expect(200, "GET", `/cycles/${a.cycleId}`, { key: local.stack.keys.operator }),
      (c) => c.status === "markets-open",
    );
    const [opportunity] = (
      await local.api.expect(200, "GET", `/opportunities?deliveryDate=${first.deliveryDate}`, {
        key: trader.apiKey,
      })
    ).items.filter((o: { marketId: string }) => o);
    const order = await local.api.expect(201, "POST", "/orders", {
      key: trader.apiKey,
      body: {
        marketId: opportunity.marketId,
        entryId: "G4-A",
        side: "buy",
        quantityMw: 1,
        availabilityPrice: 10,
        utilisationPrice: 10,
      },
    });

    const revised = { ...structuredClone(first), lookAheadId: `${first.lookAheadId}-rev` };
    const b = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body: revised,
    });
    expect(b.cycleId).not.toBe(a.cycleId);
    const old = await local.api.expect(200, "GET", `/cycles/${a.cycleId}`, {
      key: local.stack.keys.operator,
    });
    expect(old).toMatchObject({ status: "superseded", supersededBy: b.cycleId });
    await waitFor(
      () =>
        local.api.expect(200, "GET", `/cycles/${b.cycleId}`, { key: local.stack.keys.operator }),
      (c) => c.status === "markets-open",
    );
    const cancelled = await local.api.expect(200, "GET", `/orders/${order.orderId}`, {
      key: trader.apiKey,
    });
    expect(cancelled.status).toBe("cancelled");
  });

  it("refuses a revision after gate closure with 409 GATE_CLOSED", async () => {
    const first = lookAhead(3_600_000);
    const a = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body: first,
    });
    clockSource.current = { nowMs: () => Date.parse(first.gateClosureAt) };
    const late = {
      ...structuredClone(first),
      lookAheadId: `${first.lookAheadId}-late`,
      gateClosureAt: new Date(Date.parse(first.gateClosureAt) + 60_000).toISOString(),
    };
    await expectRefusedKeepingCycle(late, "GATE_CLOSED", a.cycleId);
  });
});

describe("trading at the gate and under races", () => {
  let buyer: Trader;
  let seller: Trader;
  let marketId: string;
  let gate: number;

  beforeAll(async () => {
    const body = lookAhead(3_600_000);
    gate = Date.parse(body.gateClosureAt);
    buyer = await onboard(local.api, local.stack.keys.operator, {
      name: "G4",
      anmSchemeId: body.anmSchemeId,
      entryIds: ["G4-A"],
    });
    seller = await onboard(local.api, local.stack.keys.operator, {
      name: "G1",
      anmSchemeId: body.anmSchemeId,
      entryIds: ["G1-A"],
    });
    const { cycleId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body,
    });
    await waitFor(
      () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: local.stack.keys.operator }),
      (c) => c.status === "markets-open",
    );
    const { items } = await local.api.expect(
      200,
      "GET",
      `/opportunities?deliveryDate=${body.deliveryDate}`,
      { key: buyer.apiKey },
    );
    marketId = items[0].marketId;
  }, 60_000);

  const bid = (quantityMw: number) => ({
    marketId,
    entryId: "G4-A",
    side: "buy",
    quantityMw,
    availabilityPrice: 20,
    utilisationPrice: 40,
  });

  it("R-GATE-1: accepts an order at gate closure − 1 ms and refuses it at + 0 and + 1 ms, changing nothing", async () => {
    const before = (
      await local.api.expect(200, "GET", `/orders?marketId=${marketId}`, { key: buyer.apiKey })
    ).items.length;
    clockSource.current = { nowMs: () => gate - 1 };
    const accepted = await local.api.expect(201, "POST", "/orders", {
      key: buyer.apiKey,
      body: bid(0.1),
    });
    for (const offset of [0, 1]) {
      clockSource.current = { nowMs: () => gate + offset };
      const refused = await local.api.request("POST", "/orders", {
        key: buyer.apiKey,
        body: bid(0.1),
      });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe("GATE_CLOSED");
      const amend = await local.api.request("PATCH", `/orders/${accepted.orderId}`, {
        key: buyer.apiKey,
        body: { quantityMw: 0.05 },
      });
      expect([amend.status, amend.body.code]).toEqual([409, "GATE_CLOSED"]);
      const withdraw = await local.api.request("DELETE", `/orders/${accepted.orderId}`, {
        key: buyer.apiKey,
      });
      expect([withdraw.status, withdraw.body.code]).toEqual([409, "GATE_CLOSED"]);
    }
    clockSource.current = systemClock;
    const after = await local.api.expect(200, "GET", `/orders?marketId=${marketId}`, {
      key: buyer.apiKey,
    });
    expect(after.items.length).toBe(before + 1);
    expect(
      after.items.find((o: { orderId: string }) => o.orderId === accepted.orderId).quantityMw,
    ).toBe(0.1);
    await local.api.expect(200, "DELETE", `/orders/${accepted.orderId}`, { key: buyer.apiKey });
  });

  it("R-ORDER-3: lowering quantity keeps priority, a price change loses it", async () => {
    const order = await local.api.expect(201, "POST", "/orders", {
      key: buyer.apiKey,
      body: bid(1),
    });
    const lower = await local.api.expect(200, "PATCH", `/orders/${order.orderId}`, {
      key: buyer.apiKey,
      body: { quantityMw: 0.5 },
    });
    expect(lower.submittedAt).toBe(order.submittedAt);
    await new Promise((r) => setTimeout(r, 5));
    const repriced = await local.api.expect(200, "PATCH", `/orders/${order.orderId}`, {
      key: buyer.apiKey,
      body: { availabilityPrice: 21 },
    });
    expect(repriced.submittedAt > order.submittedAt).toBe(true);
    const withdrawn = await local.api.expect(200, "DELETE", `/orders/${order.orderId}`, {
      key: buyer.apiKey,
    });
    expect(withdrawn.status).toBe("withdrawn");
  });

  it("refuses another participant's order and entry as if they did not exist (404)", async () => {
    const order = await local.api.expect(201, "POST", "/orders", {
      key: buyer.apiKey,
      body: bid(0.2),
    });
    expect(
      (await local.api.request("GET", `/orders/${order.orderId}`, { key: seller.apiKey })).status,
    ).toBe(404);
    expect(
      (await local.api.request("DELETE", `/orders/${order.orderId}`, { key: seller.apiKey }))
        .status,
    ).toBe(404);
    const foreign = await local.api.request("POST", "/orders", {
      key: seller.apiKey,
      body: bid(0.2),
    });
    expect(foreign.status).toBe(404);
    const wrongSide = await local.api.request("POST", "/orders", {
      key: buyer.apiKey,
      body: { ...bid(0.2), side: "sell", serviceType: "generation-turn-down" },
    });
    expect([wrongSide.status, wrongSide.body.code]).toEqual([422, "NOT_ELIGIBLE"]);
    await local.api.expect(200, "DELETE", `/orders/${order.orderId}`, { key: buyer.apiKey });
  });

  it("Idempotency-Key on POST /orders: a replay returns the same order and creates one; another body is 422 IDEMPOTENCY_KEY_REUSED", async () => {
    const ownOrders = async () =>
      (await local.api.expect(200, "GET", `/orders?marketId=${marketId}`, { key: buyer.apiKey }))
        .items as { orderId: string; status: string; quantityMw: number }[];
    const before = (await ownOrders()).length;
    const headers = { "Idempotency-Key": randomUUID() };
    const first = await local.api.request("POST", "/orders", {
      key: buyer.apiKey,
      body: bid(0.3),
      headers,
    });
    expect(first.status).toBe(201);
    // Sequential replays, then concurrent ones: always the first answer, never a second order.
    for (let i = 0; i < 3; i += 1) {
      const again = await local.api.request("POST", "/orders", {
        key: buyer.apiKey,
        body: bid(0.3),
        headers,
      });
      expect([again.status, again.body]).toEqual([201, first.body]);
    }
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () =>
        local.api.request("POST", "/orders", { key: buyer.apiKey, body: bid(0.3), headers }),
      ),
    );
    for (const r of concurrent) expect([r.status, r.body]).toEqual([201, first.body]);
    const reused = await local.api.request("POST", "/orders", {
      key: buyer.apiKey,
      body: bid(0.4),
      headers,
    });
    expect([reused.status, reused.body.code]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
    const after = await ownOrders();
    expect(after.length).toBe(before + 1);
    expect(after.find((o) => o.orderId === first.body.orderId)).toMatchObject({
      status: "open",
      quantityMw: 0.3,
    });

    // PATCH and DELETE honour the header the same way (api.md: "Writes accept …").
    const amendKey = { "Idempotency-Key": randomUUID() };
    const amended = await local.api.request("PATCH", `/orders/${first.body.orderId}`, {
      key: buyer.apiKey,
      body: { quantityMw: 0.2 },
      headers: amendKey,
    });
    expect(amended.status).toBe(200);
    const amendedAgain = await local.api.request("PATCH", `/orders/${first.body.orderId}`, {
      key: buyer.apiKey,
      body: { quantityMw: 0.2 },
      headers: amendKey,
    });
    expect([amendedAgain.status, amendedAgain.body]).toEqual([200, amended.body]);
    const otherAmend = await local.api.request("PATCH", `/orders/${first.body.orderId}`, {
      key: buyer.apiKey,
      body: { quantityMw: 0.1 },
      headers: amendKey,
    });
    expect([otherAmend.status, otherAmend.body.code]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
    const withdrawKey = { "Idempotency-Key": randomUUID() };
    const withdrawn = await local.api.request("DELETE", `/orders/${first.body.orderId}`, {
      key: buyer.apiKey,
      headers: withdrawKey,
    });
    const withdrawnAgain = await local.api.request("DELETE", `/orders/${first.body.orderId}`, {
      key: buyer.apiKey,
      headers: withdrawKey,
    });
    expect(withdrawn.status).toBe(200);
    expect([withdrawnAgain.status, withdrawnAgain.body]).toEqual([200, withdrawn.body]);
    expect((await ownOrders()).find((o) => o.orderId === first.body.orderId)).toMatchObject({
      status: "withdrawn",
      quantityMw: 0.2,
    });
  });

  it("R-ORDER-2: 50 orders racing for one entry never exceed its max quantity (100 trials)", async () => {
    const maxMw = 4.5;
    for (let trial = 0; trial < 100; trial += 1) {
      const sizes = Array.from({ length: 50 }, (_, i) => 0.1 + ((i * 7 + trial) % 10) / 10);
      const results = await Promise.all(
        sizes.map((q) =>
          local.api.request("POST", "/orders", {
            key: buyer.apiKey,
            body: bid(Number(q.toFixed(1))),
          }),
        ),
      );
      for (const r of results) expect([201, 422]).toContain(r.status);
      // Every page: the trials leave hundreds of withdrawn orders, more than one page of 100.
      const items: { status: string; quantityMw: number; orderId: string }[] = [];
      let nextToken: string | undefined;
      do {
        const page = await local.api.expect(
          200,
          "GET",
          `/orders?marketId=${marketId}${nextToken ? `&nextToken=${nextToken}` : ""}`,
          { key: buyer.apiKey },
        );
        items.push(...page.items);
        nextToken = page.nextToken;
      } while (nextToken);
      const open = items.filter((o: { status: string }) => o.status === "open");
      const total = open.reduce(
        (s: number, o: { quantityMw: number }) => s + Math.round(o.quantityMw * 1000),
        0,
      );
      expect(total).toBeLessThanOrEqual(maxMw * 1000);
      expect(results.filter((r) => r.status === 201).length).toBe(open.length);
      await Promise.all(
        open.map((o: { orderId: string }) =>
          local.api.expect(200, "DELETE", `/orders/${o.orderId}`, { key: buyer.apiKey }),
        ),
      );
    }
  }, 300_000);
});
