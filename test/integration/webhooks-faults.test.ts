import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboard, type Trader } from "../../lib/client/api-client";
import { TestDns } from "../support/dns-server";
import { useLocalStack } from "../support/use-local-stack";
import { eventually, verified, WebhookReceivers } from "../support/webhook-receiver";

/**
 * reliability.md WH, faults (R-NOTIFY-1, R-NOTIFY-5..8): receivers that fail then succeed,
 * answer 410, hang, redirect or fail for good; names that resolve to refused addresses at
 * registration, or only later (DNS rebinding); rotation, deletion and manual retries. The retry
 * delays are shortened by configuration (WEBHOOK_RETRY_DELAYS_MS), the same code as the cloud.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const DELAY_MS = 300;
const dns = new TestDns();
const receivers = new WebhookReceivers();
beforeAll(async () => {
  await dns.start();
  await receivers.start();
  process.env.WEBHOOK_DNS_SERVERS = dns.server;
  process.env.WEBHOOK_RETRY_DELAYS_MS = Array(9).fill(DELAY_MS).join(",");
  process.env.WEBHOOK_TIMEOUT_MS = "1500";
  process.env.WEBHOOK_LEASE_MS = "4000";
  process.env.WEBHOOK_POLL_MS = "50";
});
afterAll(async () => {
  await receivers.stop();
  await dns.stop();
});
const local = useLocalStack({ scheduleOverrides: { WebhookRetries: 100 } });

let n = 0;
async function participant(): Promise<Trader> {
  n += 1;
  return onboard(local.api, local.stack.keys.operator, {
    name: `FAULT${n}`,
    anmSchemeId: "FAULT-ANM",
    entryIds: [`F-${n}`],
  });
}

async function endpoint(trader: Trader, path: string, script = {}) {
  receivers.script(path, script);
  const created = await local.api.expect(201, "PUT", "/webhook-endpoint", {
    key: trader.apiKey,
    body: { url: receivers.url(path) },
  });
  return created.secret as string;
}

async function test(trader: Trader): Promise<string> {
  const { deliveryId } = await local.api.expect(202, "POST", "/webhook-endpoint/test", {
    key: trader.apiKey,
  });
  return deliveryId;
}

/** The delivery, or a placeholder while the dispatcher has not created it yet (404). */
async function delivery(trader: Trader, id: string): Promise<any> {
  const answer = await local.api.request("GET", `/webhook-deliveries/${id}`, {
    key: trader.apiKey,
  });
  if (answer.status === 404) return { status: "not yet", attempts: [], attemptCount: 0 };
  expect(answer.status).toBe(200);
  return answer.body;
}

const settled = (d: any) => d.status !== "pending" && d.status !== "not yet";

describe("receivers that fail", () => {
  it("500 three times then 200: delivered on the 4th attempt, same id and body, delays kept", async () => {
    const trader = await participant();
    const secret = await endpoint(trader, "/flaky", { statuses: [500, 500, 500, 200] });
    const id = await test(trader);
    const done = await eventually(() => delivery(trader, id), settled, "the delivery to end");
    expect(done).toMatchObject({ status: "succeeded", attemptCount: 4, lastStatusCode: 200 });
    expect(done.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([
      500, 500, 500, 200,
    ]);
    const got = receivers.at("/flaky");
    expect(got).toHaveLength(4);
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    expect(new Set(got.map((r) => r.headers["webhook-id"])).size).toBe(1);
    expect(got[0]!.body).toBe(done.body);
    for (const r of got) expect(verified(r, secret).type).toBe("webhook.test");
    // Never earlier than the delay after the previous attempt (R-NOTIFY-6).
    for (let i = 1; i < got.length; i += 1)
      expect(got[i]!.atMs - got[i - 1]!.atMs).toBeGreaterThanOrEqual(DELAY_MS - 20);
  });

  it("takes Retry-After as the least delay", async () => {
    const trader = await participant();
    await endpoint(trader, "/busy", { statuses: [503, 200], headers: { "retry-after": "2" } });
    const id = await test(trader);
    await eventually(() => delivery(trader, id), settled, "the delivery to end");
    const [first, second] = receivers.at("/busy");
    expect(second!.atMs - first!.atMs).toBeGreaterThanOrEqual(1_980);
  });

  it("410 disables the endpoint and fails its pending deliveries; a PUT enables it again", async () => {
    const trader = await participant();
    await endpoint(trader, "/gone", { statuses: [500, 410] });
    const a = await test(trader);
    await eventually(
      () => receivers.at("/gone"),
      (r) => r.length >= 1,
      "the first attempt",
    );
    const b = await test(trader);
    const [da, db] = await Promise.all(
      [a, b].map((id) => eventually(() => delivery(trader, id), settled, `delivery ${id}`)),
    );
    expect(da!.status).toBe("failed");
    expect(db!.status).toBe("failed");
    const shown = await local.api.expect(200, "GET", "/webhook-endpoint", { key: trader.apiKey });
    expect(shown).toMatchObject({ status: "disabled", enabled: false, disabledReason: "gone" });
    // Nothing is sent once it is disabled (an attempt already in flight may still have landed).
    const sent = receivers.at("/gone").length;
    expect(sent).toBeLessThanOrEqual(3);
    await new Promise((wake) => setTimeout(wake, 3 * DELAY_MS));
    expect(receivers.at("/gone")).toHaveLength(sent);
    await local.api.expect(409, "POST", "/webhook-endpoint/test", { key: trader.apiKey });
    const again = await local.api.expect(200, "PUT", "/webhook-endpoint", {
      key: trader.apiKey,
      body: { url: receivers.url("/gone") },
    });
    expect(again).toMatchObject({ status: "enabled" });
    expect(again.disabledReason).toBeUndefined();
  });

  it("a receiver that hangs times out; a redirect is a failure and is not followed", async () => {
    const trader = await participant();
    await endpoint(trader, "/hang", { hang: true });
    const id = await test(trader);
    const first = await eventually(
      () => delivery(trader, id),
      (d) => d.attempts.length >= 1,
      "an attempt",
    );
    expect(first.attempts[0]).toMatchObject({ error: "timeout" });
    expect(first.attempts[0].durationMs).toBeGreaterThanOrEqual(1_400);
    const other = await participant();
    receivers.script("/elsewhere", {});
    await endpoint(other, "/moved", {
      statuses: [302],
      headers: { location: receivers.url("/elsewhere") },
    });
    const moved = await test(other);
    const seen = await eventually(
      () => delivery(other, moved),
      (d) => d.attempts.length >= 1,
      "an attempt",
    );
    expect(seen.attempts[0]).toMatchObject({ statusCode: 302, error: "redirect" });
    expect(receivers.at("/elsewhere")).toHaveLength(0);
  });

  it("fails after the 10th failure; a manual retry makes one attempt and ends it only on success", async () => {
    const trader = await participant();
    await endpoint(trader, "/down", { statuses: [500] });
    const id = await test(trader);
    const failed = await eventually(() => delivery(trader, id), settled, "failed", 60_000);
    expect(failed).toMatchObject({ status: "failed", attemptCount: 10 });
    await new Promise((wake) => setTimeout(wake, 3 * DELAY_MS));
    expect(receivers.at("/down")).toHaveLength(10);
    // A retry that fails leaves it failed (R-NOTIFY-8 §19).
    const retried = await local.api.expect(202, "POST", `/webhook-deliveries/${id}/retry`, {
      key: trader.apiKey,
    });
    expect(retried).toMatchObject({ deliveryId: id, status: "pending" });
    const after = await eventually(
      () => delivery(trader, id),
      (d) => d.attemptCount === 11,
      "the manual attempt",
    );
    expect(after.status).toBe("failed");
    expect(after.attempts.at(-1)).toMatchObject({ statusCode: 500, manual: true });
    receivers.script("/down", { statuses: [200] });
    await local.api.expect(202, "POST", `/webhook-deliveries/${id}/retry`, { key: trader.apiKey });
    const ok = await eventually(
      () => delivery(trader, id),
      (d) => d.status === "succeeded",
      "the second manual attempt",
    );
    expect(ok.attemptCount).toBe(12);
    expect(new Set(receivers.at("/down").map((r) => r.body)).size).toBe(1);
    const { items } = await local.api.expect(200, "GET", "/webhook-deliveries?status=succeeded", {
      key: trader.apiKey,
    });
    expect(items.map((d: { deliveryId: string }) => d.deliveryId)).toEqual([id]);
  });
});

describe("addresses the platform may not call (R-NOTIFY-1)", () => {
  const refused = [
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.1/hook",
    "https://[::ffff:10.0.0.1]/hook",
    "https://[fd00:ec2::254]/hook",
    "https://[::1]/hook",
    "https://192.168.1.10/hook",
    "https://metadata.test/hook",
    "https://mixed.test/hook",
    "https://nowhere.test/hook",
    "http://public.test/hook",
    "http://127.0.0.2:8080/hook",
    "http://localhost/hook",
    "https://user:pass@public.test/hook",
    "ftp://public.test/hook",
  ];

  it.each(refused)("refuses %s at registration (422 WEBHOOK_URL_NOT_ALLOWED)", async (url) => {
    dns.set("metadata.test", ["169.254.169.254"]);
    dns.set("mixed.test", ["93.184.216.34", "10.0.0.1"]);
    dns.set("public.test", ["93.184.216.34"]);
    const trader = await participant();
    const answer = await local.api.request("PUT", "/webhook-endpoint", {
      key: trader.apiKey,
      body: { url },
    });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      code: "WEBHOOK_URL_NOT_ALLOWED",
      errors: [expect.objectContaining({ path: "url" })],
    });
    await local.api.expect(404, "GET", "/webhook-endpoint", { key: trader.apiKey });
  });

  it.each([
    ["10.0.0.1", "rebind-private.test"],
    ["169.254.169.254", "rebind-metadata.test"],
  ])(
    "refuses %s at delivery when the name changes its answer (no connection made)",
    async (address, name) => {
      // At registration the name resolves to a public address; no event exists for this owner
      // until the name has switched, so nothing is ever sent to that public address.
      dns.set(name, ["93.184.216.34"]);
      const trader = await participant();
      await local.api.expect(201, "PUT", "/webhook-endpoint", {
        key: trader.apiKey,
        body: { url: `https://${name}:8443/hook` },
      });
      dns.set(name, [address]);
      const id = await test(trader);
      const failed = await eventually(() => delivery(trader, id), settled, "failed", 60_000);
      expect(failed.status).toBe("failed");
      expect(failed.attempts).toHaveLength(10);
      for (const attempt of failed.attempts)
        expect(attempt).toMatchObject({ error: "address-not-allowed" });
      expect(dns.queries.filter((q) => q.endsWith(name)).length).toBeGreaterThanOrEqual(10);
    },
  );
});

describe("secrets, deletion and idempotency", () => {
  it("signs with the new and the previous secret after a rotation, never more than two", async () => {
    const trader = await participant();
    const first = await endpoint(trader, "/rotating");
    const rotated = await local.api.expect(201, "POST", "/webhook-endpoint/secret-rotations", {
      key: trader.apiKey,
    });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(Date.parse(rotated.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23.9 * 3600e3);
    await test(trader);
    const [one] = await eventually(
      () => receivers.at("/rotating"),
      (r) => r.length >= 1,
      "one",
    );
    expect(String(one!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(verified(one!, first).type).toBe("webhook.test");
    expect(verified(one!, rotated.secret).type).toBe("webhook.test");
    const again = await local.api.expect(201, "POST", "/webhook-endpoint/secret-rotations", {
      key: trader.apiKey,
    });
    await test(trader);
    const [, two] = await eventually(
      () => receivers.at("/rotating"),
      (r) => r.length >= 2,
      "two",
    );
    expect(String(two!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(() => verified(two!, first)).toThrow();
    expect(verified(two!, again.secret).type).toBe("webhook.test");
    const shown = await local.api.expect(200, "GET", "/webhook-endpoint", { key: trader.apiKey });
    expect(JSON.stringify(shown)).not.toMatch(/whsec_/);
  });

  it("a deleted endpoint's pending deliveries become undeliverable", async () => {
    const trader = await participant();
    await endpoint(trader, "/deleted", { statuses: [500] });
    const id = await test(trader);
    await eventually(
      () => receivers.at("/deleted"),
      (r) => r.length >= 1,
      "an attempt",
    );
    await local.api.expect(204, "DELETE", "/webhook-endpoint", { key: trader.apiKey });
    const ended = await eventually(() => delivery(trader, id), settled, "undeliverable");
    expect(ended.status).toBe("undeliverable");
    await local.api.expect(404, "GET", "/webhook-endpoint", { key: trader.apiKey });
    await local.api.expect(409, "POST", `/webhook-deliveries/${id}/retry`, { key: trader.apiKey });
  });

  it("replays a creation under its Idempotency-Key with the same secret", async () => {
    const trader = await participant();
    const headers = { "idempotency-key": `idem-${Date.now()}` };
    const body = { url: receivers.url("/idem"), eventTypes: ["trade.confirmed"] };
    const first = await local.api.expect(201, "PUT", "/webhook-endpoint", {
      key: trader.apiKey,
      body,
      headers,
    });
    const replay = await local.api.expect(201, "PUT", "/webhook-endpoint", {
      key: trader.apiKey,
      body,
      headers,
    });
    expect(replay.secret).toBe(first.secret);
    expect(first.eventTypes).toEqual(["trade.confirmed"]);
    // An unknown event type is 400 with its path.
    const bad = await local.api.request("PUT", "/webhook-endpoint", {
      key: trader.apiKey,
      body: { url: receivers.url("/idem"), eventTypes: ["trade.exploded"] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("eventTypes.0");
  });
});
