import { beforeAll, describe, expect, it } from "vitest";
import { onboard, type Trader, waitFor } from "../../lib/client/api-client";
import { lookAheadBody } from "../support/look-ahead-builder";
import { useLocalStack } from "../support/use-local-stack";

/**
 * The documented answers no other HTTP test provokes, each provoked once over real HTTP on the
 * local stack with the code the OpenAPI document lists for the route: the order refusals
 * (R-ORDER-1 price cap, R-ORDER-2 capacity, withdrawn orders, a superseded cycle's market),
 * Idempotency-Key reuse on the access routes, and the operator's decisions on unknown or
 * decided objects. Each answer is also checked here, so the test fails on its own when one
 * changes; test/contract/documented-responses.test.ts then sees them all as observed.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const local = useLocalStack();

const DATE = "2027-10-05";
const SCHEME = `COVER-${process.pid}`;

/**
 * One constraint, one event of four SPs from `firstSp`, 3 MW curtailed of 6 × 1 MW entries. (A
 * market's id follows its scheme, day, constraint and window, so a look-ahead with another
 * window opens other markets.)
 */
function lookAhead(lookAheadId: string, firstSp = 20) {
  const required: Record<number, number> = {};
  for (let sp = firstSp; sp < firstSp + 4; sp += 1) required[sp] = 3;
  return lookAheadBody(
    DATE,
    [
      {
        constraintId: "C0",
        required,
        mol: Array.from({ length: 6 }, (_, i) => ({
          entryId: `C0E${i}-A`,
          capacityMw: 2,
          forecastMw: 1,
        })),
      },
    ],
    {
      lookAheadId,
      anmSchemeId: SCHEME,
      issuedAt: new Date().toISOString(),
      gateClosureAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
  );
}

async function refused(
  status: number,
  code: string,
  method: string,
  path: string,
  options: Parameters<typeof local.api.request>[2] = {},
) {
  const response = await local.api.request(method, path, options);
  expect(
    { status: response.status, code: response.body?.code },
    `${method} ${path}: ${JSON.stringify(response.body)}`,
  ).toEqual({ status, code });
  return response.body;
}

describe("the documented refusals no other HTTP test provokes", () => {
  let buyer: Trader;
  let late: Trader;
  let firstCycle: string;
  let marketId: string;
  let opportunity: { opportunityId: string; entryId: string; side: string; maxQuantityMw: number };

  beforeAll(async () => {
    buyer = await onboard(local.api, local.stack.keys.operator, {
      name: "COVB",
      anmSchemeId: SCHEME,
      entryIds: ["C0E0-A", "C0E1-A", "C0E2-A"],
    });
    await onboard(local.api, local.stack.keys.operator, {
      name: "COVS",
      anmSchemeId: SCHEME,
      entryIds: ["C0E3-A", "C0E4-A"],
    });
    late = await onboard(local.api, local.stack.keys.operator, {
      name: "COVA",
      anmSchemeId: SCHEME,
      entryIds: ["C0E5-A"],
    });
    ({ cycleId: firstCycle } = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body: lookAhead("LA-COVER-1"),
    }));
    await waitFor(
      () =>
        local.api.expect(200, "GET", `/cycles/${firstCycle}`, { key: local.stack.keys.operator }),
      (c) => c.status === "markets-open",
      90_000,
    );
    const { items } = await local.api.expect(200, "GET", `/opportunities?deliveryDate=${DATE}`, {
      key: buyer.apiKey,
    });
    opportunity = items.find((o: { side: string }) => o.side === "buy");
    expect(opportunity).toBeDefined();
    marketId = (opportunity as unknown as { marketId: string }).marketId;
  }, 180_000);

  const order = (overrides: Record<string, unknown> = {}) => ({
    marketId,
    entryId: opportunity.entryId,
    side: opportunity.side,
    quantityMw: 0.5,
    availabilityPrice: 10,
    utilisationPrice: 20,
    ...overrides,
  });

  it("GET /markets/{marketId}: the market", async () => {
    const market = await local.api.expect(200, "GET", `/markets/${marketId}`, {
      key: buyer.apiKey,
    });
    expect(market).toMatchObject({ marketId, status: "open" });
  });

  it("orders: the price cap, capacity, withdrawn orders and a reused Idempotency-Key", async () => {
    const key = buyer.apiKey;
    await refused(422, "PRICE_EXCEEDS_CAP", "POST", "/orders", {
      key,
      body: order({ availabilityPrice: 10_000.01 }),
    });
    const placed = await local.api.expect(201, "POST", "/orders", { key, body: order() });
    const path = `/orders/${placed.orderId}`;
    await refused(422, "PRICE_EXCEEDS_CAP", "PATCH", path, {
      key,
      body: { utilisationPrice: 10_001 },
    });
    await refused(422, "QUANTITY_EXCEEDS_CAPACITY", "PATCH", path, {
      key,
      body: { quantityMw: opportunity.maxQuantityMw + 1 },
    });
    const idempotencyKey = `withdraw-${process.pid}`;
    await local.api.expect(200, "DELETE", path, {
      key,
      headers: { "idempotency-key": idempotencyKey },
    });
    // Withdrawing again is answered with the withdrawn order (idempotent); amending is refused.
    expect(await local.api.expect(200, "DELETE", path, { key })).toMatchObject({
      status: "withdrawn",
    });
    await refused(409, "ORDER_NOT_OPEN", "PATCH", path, { key, body: { quantityMw: 0.25 } });
    const other = await local.api.expect(201, "POST", "/orders", { key, body: order() });
    await refused(422, "IDEMPOTENCY_KEY_REUSED", "DELETE", `/orders/${other.orderId}`, {
      key,
      headers: { "idempotency-key": idempotencyKey },
    });
  });

  it("registration, claim and decisions: reused keys, unknown objects, decided assets", async () => {
    const operator = local.stack.keys.operator;
    const registration = (name: string) => ({
      organisation: {
        legalName: `${name} Energy Ltd`,
        companyNumber: "07654321",
        registeredAddress: "2 Grid Street, Leeds",
      },
      contact: { name: `${name} desk`, email: `desk@${name.toLowerCase()}.example` },
    });
    const registered = await local.api.expect(201, "POST", "/registrations", {
      body: registration("COVR"),
      headers: { "idempotency-key": `reg-${process.pid}` },
    });
    await refused(422, "IDEMPOTENCY_KEY_REUSED", "POST", "/registrations", {
      body: registration("COVQ"),
      headers: { "idempotency-key": `reg-${process.pid}` },
    });
    const decision = `/participants/${registered.participantId}/decision`;
    await local.api.expect(200, "POST", decision, {
      key: operator,
      body: { decision: "approve" },
      headers: { "idempotency-key": `dec-${process.pid}` },
    });
    await refused(422, "IDEMPOTENCY_KEY_REUSED", "POST", decision, {
      key: operator,
      body: { decision: "suspend" },
      headers: { "idempotency-key": `dec-${process.pid}` },
    });
    // A rejected participant's key cannot be re-issued (D-198).
    const rejected = await local.api.expect(201, "POST", "/registrations", {
      body: registration("COVX"),
    });
    await local.api.expect(200, "POST", `/participants/${rejected.participantId}/decision`, {
      key: operator,
      body: { decision: "reject", reason: "test of a refused re-issue" },
    });
    await refused(
      409,
      "DECISION_NOT_ALLOWED",
      "POST",
      `/participants/${rejected.participantId}/key-reissues`,
      { key: operator, body: {} },
    );
    await refused(404, "NOT_FOUND", "POST", "/participants/par-0000000000000000/decision", {
      key: operator,
      body: { decision: "approve" },
    });
    const claim = `/registrations/${registered.participantId}/api-key`;
    await local.api.expect(201, "POST", claim, {
      body: { claimSecret: registered.claimSecret },
      headers: { "idempotency-key": `claim-${process.pid}` },
    });
    await refused(422, "IDEMPOTENCY_KEY_REUSED", "POST", claim, {
      body: { claimSecret: `cls_${"A".repeat(43)}` },
      headers: { "idempotency-key": `claim-${process.pid}` },
    });

    // An open order of an asset the operator then rejects is cancelled with the decision (D-136).
    const { items } = await local.api.expect(200, "GET", `/opportunities?deliveryDate=${DATE}`, {
      key: late.apiKey,
    });
    const sell = items.find((o: { entryId: string }) => o.entryId === "C0E5-A");
    const doomed = await local.api.expect(201, "POST", "/orders", {
      key: late.apiKey,
      body: {
        ...order(),
        marketId: sell.marketId,
        entryId: sell.entryId,
        side: sell.side,
        serviceType: "generation-turn-down",
      },
    });
    const assetDecision = `/assets/${late.assetId}/decision`;
    await local.api.expect(200, "POST", assetDecision, {
      key: operator,
      body: { decision: "reject", reason: "test of a decided asset" },
      headers: { "idempotency-key": `asset-${process.pid}` },
    });
    await refused(422, "IDEMPOTENCY_KEY_REUSED", "POST", assetDecision, {
      key: operator,
      body: { decision: "qualify" },
      headers: { "idempotency-key": `asset-${process.pid}` },
    });
    await refused(409, "DECISION_NOT_ALLOWED", "POST", assetDecision, {
      key: operator,
      body: { decision: "qualify" },
    });
    expect(
      await local.api.expect(200, "GET", `/orders/${doomed.orderId}`, { key: late.apiKey }),
    ).toMatchObject({ status: "cancelled" });
    await refused(409, "ORDER_NOT_OPEN", "DELETE", `/orders/${doomed.orderId}`, {
      key: late.apiKey,
    });
    await refused(404, "NOT_FOUND", "POST", "/assets/ast-0000000000000000/decision", {
      key: operator,
      body: { decision: "qualify" },
    });
  });

  it("a superseded look-ahead's market and orders: MARKET_NOT_OPEN, ORDER_NOT_OPEN", async () => {
    const kept = await local.api.expect(201, "POST", "/orders", {
      key: buyer.apiKey,
      body: order(),
    });
    const { cycleId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body: lookAhead("LA-COVER-2", 30),
    });
    expect(cycleId).not.toBe(firstCycle);
    await waitFor(
      () => local.api.expect(200, "GET", `/markets/${marketId}`, { key: buyer.apiKey }),
      (m) => m.status === "cancelled",
      90_000,
    );
    await refused(409, "MARKET_NOT_OPEN", "POST", "/orders", { key: buyer.apiKey, body: order() });
    expect(
      await local.api.expect(200, "GET", `/orders/${kept.orderId}`, { key: buyer.apiKey }),
    ).toMatchObject({ status: "cancelled" });
    // Its market no longer takes orders, so neither can it be withdrawn or amended.
    await refused(409, "MARKET_NOT_OPEN", "DELETE", `/orders/${kept.orderId}`, {
      key: buyer.apiKey,
    });
    await refused(409, "MARKET_NOT_OPEN", "PATCH", `/orders/${kept.orderId}`, {
      key: buyer.apiKey,
      body: { quantityMw: 0.25 },
    });
    await waitFor(
      () => local.api.expect(200, "GET", `/orders/${kept.orderId}`, { key: buyer.apiKey }),
      (o) => o.status === "cancelled",
      90_000,
    );
    // Its market no longer takes orders, so neither can it be withdrawn or amended.
    await refused(409, "MARKET_NOT_OPEN", "DELETE", `/orders/${kept.orderId}`, {
      key: buyer.apiKey,
    });
    await refused(409, "MARKET_NOT_OPEN", "PATCH", `/orders/${kept.orderId}`, {
      key: buyer.apiKey,
      body: { quantityMw: 0.25 },
    });
  }, 120_000);
});
