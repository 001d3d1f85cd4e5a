import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboard, orderBodyOf, type Trader, waitFor } from "../../lib/client/api-client";
import { TestDns } from "../support/dns-server";
import { parsedPostTrade, postTradeExample } from "../support/post-trade-example";
import { useLocalStack } from "../support/use-local-stack";
import { eventually, verified, WebhookReceivers } from "../support/webhook-receiver";
import { workedExample } from "../support/worked-example";

/**
 * reliability.md WH, the worked example end to end (R-NOTIFY-3..7, R-DISPATCH-2): the five
 * generators and the ANM register real local receivers, the cycle runs on the local stack, and
 * each receiver gets exactly its events — types, recipients and `data` as the offline simulation
 * derives them — each signature verified with the `standardwebhooks` package, and no receiver
 * ever sees another participant's id.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const dns = new TestDns();
const receivers = new WebhookReceivers();
beforeAll(async () => {
  await dns.start();
  await receivers.start();
  // Names are asked of the test's own DNS server only (nothing leaves this machine).
  process.env.WEBHOOK_DNS_SERVERS = dns.server;
  process.env.WEBHOOK_POLL_MS = "100";
});
afterAll(async () => {
  await receivers.stop();
  await dns.stop();
});
const local = useLocalStack({ scheduleOverrides: { WebhookRetries: 200 } });

const scenario = workedExample();
const SCHEME = scenario.lookAhead.anmSchemeId as string;
const DATE = scenario.lookAhead.deliveryDate as string;

describe("the worked example's events, delivered by webhook", () => {
  const traders = new Map<string, Trader>();
  const secrets = new Map<string, string>();
  const orderIds: Record<string, string> = {};

  it("registers a receiver for each generator and for the ANM, each secret shown once", async () => {
    for (const asset of scenario.assets) {
      const trader = await onboard(local.api, local.stack.keys.operator, {
        name: asset.participantId.toUpperCase(),
        anmSchemeId: SCHEME,
        entryIds: asset.molEntryIds,
      });
      traders.set(asset.participantId, trader);
    }
    for (const [name, key] of [
      ...[...traders].map(([n, t]) => [n, t.apiKey] as const),
      ["anm", local.stack.keys.anm] as const,
    ]) {
      const created = await local.api.expect(201, "PUT", "/webhook-endpoint", {
        key,
        body: { url: receivers.url(`/${name}`) },
      });
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(created).toMatchObject({ status: "enabled", enabled: true });
      secrets.set(name, created.secret);
      const shown = await local.api.expect(200, "GET", "/webhook-endpoint", { key });
      expect(shown.secret).toBeUndefined();
      expect(JSON.stringify(shown)).not.toContain(created.secret);
    }
  });

  it("runs the cycle: look-ahead, orders, gate closure, publication", async () => {
    const gateClosureAt = new Date(Date.now() + 8_000).toISOString();
    const { cycleId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: local.stack.keys.anm,
      body: { ...scenario.lookAhead, gateClosureAt },
    });
    await waitFor(
      () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: local.stack.keys.operator }),
      (c) => c.status === "markets-open",
    );
    const { items: markets } = await local.api.expect(200, "GET", `/markets?deliveryDate=${DATE}`, {
      key: local.stack.keys.operator,
    });
    for (const o of scenario.orders) {
      const order = await local.api.expect(201, "POST", "/orders", {
        key: traders.get(o.participantId)!.apiKey,
        body: orderBodyOf(o, markets[0].marketId),
      });
      orderIds[o.orderId] = order.orderId;
    }
    const cycle = await waitFor(
      () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: local.stack.keys.operator }),
      (c) => c.status === "published" || c.status === "failed",
      60_000,
    );
    expect(cycle.status).toBe("published");
  });

  it("delivers exactly the expected events to each receiver, signed, with the simulation's data", async () => {
    const example = postTradeExample();
    const published = example.variants[0].expected.events.filter(
      (e: { type: string }) => e.type !== "statement.issued",
    );
    // market.opened goes to each participant with an opportunity (R-NOTIFY-4).
    const owners = new Map<string, string>(
      scenario.assets.flatMap((a: { participantId: string; molEntryIds: string[] }) =>
        a.molEntryIds.map((entry) => [entry, a.participantId] as const),
      ),
    );
    const opened = [
      ...new Set(
        scenario.expected.opportunities.map((o: { entryId: string }) => owners.get(o.entryId)!),
      ),
    ];
    const expected = [
      ...published.map((e: { type: string; recipient: string }) => `${e.recipient} ${e.type}`),
      ...opened.map((p) => `${p} market.opened`),
    ].sort();
    const received = () =>
      receivers.requests
        .map((r) => `${r.path.slice(1)} ${verified(r, secrets.get(r.path.slice(1))!).type}`)
        .sort();
    await eventually(received, (got) => got.length >= expected.length, "every event", 60_000);
    // A little longer: nothing more may come.
    await new Promise((wake) => setTimeout(wake, 1_500));
    expect(received()).toEqual(expected);

    // Every body verifies with its receiver's secret, and only with it.
    for (const r of receivers.requests) {
      const name = r.path.slice(1);
      expect(() => verified(r, secrets.get(name)!)).not.toThrow();
      const other = name === "g4" ? "g5" : "g4";
      expect(() => verified(r, secrets.get(other)!)).toThrow();
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.headers["webhook-id"]).toBe(JSON.parse(r.body).id);
    }

    // The data of the publication's events is the offline simulation's, trade ids aside.
    const { items: trades } = await local.api.expect(200, "GET", `/trades?deliveryDate=${DATE}`, {
      key: local.stack.keys.operator,
    });
    const names = new Map<string, string>(
      example.trades.map((t: { tradeId: string; buyEntryId: string; sellEntryId: string }) => [
        trades.find(
          (l: { buyEntryId: string; sellEntryId: string }) =>
            l.buyEntryId === t.buyEntryId && l.sellEntryId === t.sellEntryId,
        ).tradeId,
        t.tradeId,
      ]),
    );
    const renamed = (text: string) =>
      [...names].reduce((out, [id, name]) => out.split(id).join(name), text);
    const simulated = parsedPostTrade(example).publicationEvents;
    const participants = new Map([...traders].map(([n, t]) => [t.participantId, n]));
    for (const r of receivers.requests) {
      const event = verified(r, secrets.get(r.path.slice(1))!);
      if (event.type === "market.opened") continue;
      const recipient = r.path.slice(1);
      const twin = simulated.filter(
        (e) =>
          e.type === event.type &&
          e.recipient === recipient &&
          JSON.stringify(e.data) === renamed(JSON.stringify(event.data)),
      );
      expect(
        twin,
        `${recipient} ${event.type} ${renamed(JSON.stringify(event.data))}`,
      ).toHaveLength(1);
      // A counterparty's participant id never appears (api.md), only its entry id.
      for (const [id, name] of participants)
        if (name !== recipient) expect(r.body).not.toContain(id);
    }

    // market.opened: each its own opportunities, no one else's.
    for (const r of receivers.requests.filter((q) => JSON.parse(q.body).type === "market.opened")) {
      const { data } = verified(r, secrets.get(r.path.slice(1))!);
      const mine = scenario.expected.opportunities
        .filter((o: { entryId: string }) => owners.get(o.entryId) === r.path.slice(1))
        .map((o: { entryId: string; side: string; maxQuantityMw: number }) => ({
          entryId: o.entryId,
          side: o.side,
          maxQuantityMw: o.maxQuantityMw,
        }));
      expect(
        data.opportunities.map((o: Record<string, unknown>) => ({
          entryId: o.entryId,
          side: o.side,
          maxQuantityMw: o.maxQuantityMw,
        })),
      ).toEqual(mine);
      expect(data).toMatchObject({
        anmSchemeId: SCHEME,
        deliveryDate: DATE,
        constraintId: "C1",
        windowStart: "2027-06-14T11:00:00Z",
        windowEnd: "2027-06-14T13:00:00Z",
      });
    }
  });

  it("lists each participant's deliveries, all succeeded, the body exactly as sent; another's is 404", async () => {
    const g4 = traders.get("g4")!;
    const { items } = await local.api.expect(200, "GET", "/webhook-deliveries", { key: g4.apiKey });
    expect(items.map((d: { type: string }) => d.type).sort()).toEqual([
      "dispatch.instruction",
      "market.opened",
      "merit-order.published",
      "trade.confirmed",
      "trade.confirmed",
    ]);
    for (const d of items)
      expect(d).toMatchObject({ status: "succeeded", attemptCount: 1, lastStatusCode: 200 });
    const detail = await local.api.expect(
      200,
      "GET",
      `/webhook-deliveries/${items[0].deliveryId}`,
      {
        key: g4.apiKey,
      },
    );
    expect(receivers.at("/g4").map((r) => r.body)).toContain(detail.body);
    expect(detail.attempts).toEqual([expect.objectContaining({ statusCode: 200 })]);
    await local.api.expect(404, "GET", `/webhook-deliveries/${items[0].deliveryId}`, {
      key: traders.get("g5")!.apiKey,
    });
    await local.api.expect(404, "POST", `/webhook-deliveries/${items[0].deliveryId}/retry`, {
      key: traders.get("g5")!.apiKey,
    });
    // G2 had no opportunity and no slice: nothing for it.
    const g2 = await local.api.expect(200, "GET", "/webhook-deliveries", {
      key: traders.get("g2")!.apiKey,
    });
    expect(g2.items).toEqual([]);
  });

  it("gives each participant its own units through GET /merit-order-instructions", async () => {
    const g5 = await local.api.expect(
      200,
      "GET",
      `/merit-order-instructions?deliveryDate=${DATE}&constraintId=C1`,
      { key: traders.get("g5")!.apiKey },
    );
    expect(g5.items.map((u: { parentEntryId: string }) => u.parentEntryId)).toEqual(["G5-A"]);
    expect(g5.items[0].periods.map((p: { curtailmentMw: number }) => p.curtailmentMw)).toEqual([
      3, 3, 3, 3,
    ]);
    const all = await local.api.expect(
      200,
      "GET",
      `/merit-order-instructions?deliveryDate=${DATE}&constraintId=C1&version=1`,
      { key: local.stack.keys.operator },
    );
    expect(all.items).toHaveLength(9);
    await local.api.expect(
      404,
      "GET",
      `/merit-order-instructions?deliveryDate=${DATE}&constraintId=C1&version=2`,
      { key: local.stack.keys.anm },
    );
  });
});
