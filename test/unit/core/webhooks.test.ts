import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { EnvelopeSecretBox, LocalFileKeyWrapper } from "../../../functions/adapters/secret-box";
import { addressAllowed } from "../../../functions/adapters/webhook-transport";
import { ANM_RECIPIENT, platformEvent } from "../../../functions/core/events/platform-event";
import {
  afterAttempt,
  DEFAULT_RETRY_DELAYS_MS,
  deliveryIdOf,
  endpointOwnerOf,
  liveSecrets,
  MAX_DATA_BYTES,
  ownersOf,
  PREVIOUS_SECRET_MS,
  retryAfterMs,
  rotate,
  SECRET_PATTERN,
  webhookBody,
  webhookTarget,
} from "../../../functions/core/webhooks/model";
import { propertyParams } from "../../support/property";

/** The webhook rules (R-NOTIFY-1..8) as pure functions, and the sender's address classes. */

describe("R-NOTIFY-1 the URL rule", () => {
  const cloud = { allowLocalHttp: false };
  const local = { allowLocalHttp: true };
  it.each([
    ["https://hooks.example.com/bitrader", cloud, true],
    ["https://hooks.example.com:8443/x?a=1", cloud, true],
    ["http://hooks.example.com/x", cloud, false],
    ["http://127.0.0.1:9000/x", cloud, false],
    ["http://127.0.0.1:9000/x", local, true],
    ["http://localhost:9000/x", local, true],
    ["http://localhost/x", local, false],
    ["http://127.0.0.2:9000/x", local, false],
    ["http://hooks.example.com/x", local, false],
    ["https://user:pw@hooks.example.com/", cloud, false],
    ["https://hooks.example.com/#frag", cloud, false],
    ["ftp://hooks.example.com/", cloud, false],
    ["not a url", cloud, false],
    [`https://hooks.example.com/${"x".repeat(2100)}`, cloud, false],
  ] as const)("%s (%o): allowed %s", (url, policy, ok) => {
    expect("target" in webhookTarget(url, policy)).toBe(ok);
  });

  it("lets only a local receiver reach loopback", () => {
    const t = webhookTarget("http://localhost:9000/x", local);
    expect("target" in t && t.target.loopback).toBe(true);
    const c = webhookTarget("https://example.com/x", local);
    expect("target" in c && c.target.loopback).toBe(false);
  });
});

describe("R-NOTIFY-1 address classes (the sender, at registration and every attempt)", () => {
  it.each([
    ["8.8.8.8", true],
    ["93.184.216.34", true],
    ["2001:4860:4860::8888", true],
    ["::ffff:8.8.8.8", true],
    ["10.0.0.1", false],
    ["172.16.5.4", false],
    ["192.168.1.1", false],
    ["169.254.169.254", false],
    ["100.64.0.1", false],
    ["127.0.0.1", false],
    ["0.0.0.0", false],
    ["255.255.255.255", false],
    ["224.0.0.1", false],
    ["192.0.2.1", false],
    ["::1", false],
    ["::", false],
    ["fe80::1", false],
    ["fc00::1", false],
    ["fd00:ec2::254", false],
    ["::ffff:10.0.0.1", false],
    ["::ffff:169.254.169.254", false],
    ["::a00:1", false],
    ["64:ff9b::a00:1", false],
    ["2002:a00:1::1", false],
    ["ff02::1", false],
    ["not-an-ip", false],
  ])("%s allowed: %s", (address, ok) => {
    expect(addressAllowed(address, false)).toBe(ok);
  });

  it("allows loopback only for a local receiver", () => {
    expect(addressAllowed("127.0.0.1", true)).toBe(true);
    expect(addressAllowed("::1", true)).toBe(true);
    expect(addressAllowed("10.0.0.1", true)).toBe(false);
    expect(addressAllowed("169.254.169.254", true)).toBe(false);
  });
});

describe("R-NOTIFY-2 secrets", () => {
  it("makes whsec_ secrets the standardwebhooks package signs with, sealed for one owner only", async () => {
    const dir = `${process.env.TMPDIR ?? "/tmp"}/bitrader-keys-${process.pid}-${Date.now()}`;
    const box = new EnvelopeSecretBox(new LocalFileKeyWrapper(`${dir}/k.key`));
    const secret = box.newSecret();
    expect(secret).toMatch(SECRET_PATTERN);
    const sealed = await box.seal(secret, "par-1");
    expect(JSON.stringify(sealed)).not.toContain(secret.slice(6));
    expect(await box.open(sealed, "par-1")).toBe(secret);
    await expect(box.open(sealed, "par-2")).rejects.toThrow();
    // A fresh box (a cold start) opens it with the key file alone.
    const cold = new EnvelopeSecretBox(new LocalFileKeyWrapper(`${dir}/k.key`));
    expect(await cold.open(sealed, "par-1")).toBe(secret);
    const signature = new Webhook(secret).sign("evt_1", new Date(), "{}");
    expect(() =>
      new Webhook(secret).verify("{}", {
        "webhook-id": "evt_1",
        "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
        "webhook-signature": signature,
      }),
    ).not.toThrow();
  });

  it("keeps the previous secret 24 h after a rotation, never more than two", () => {
    const t0 = 1_000_000;
    const one = [{ sealed: "a", createdAtMs: t0 }];
    const two = rotate(one, { sealed: "b", createdAtMs: t0 + 1 }, t0 + 1);
    expect(two.map((s) => s.sealed)).toEqual(["b", "a"]);
    expect(two[1]!.expiresAtMs).toBe(t0 + 1 + PREVIOUS_SECRET_MS);
    expect(liveSecrets(two, t0 + PREVIOUS_SECRET_MS).map((s) => s.sealed)).toEqual(["b", "a"]);
    expect(liveSecrets(two, t0 + 1 + PREVIOUS_SECRET_MS).map((s) => s.sealed)).toEqual(["b"]);
    const three = rotate(liveSecrets(two, t0 + 2), { sealed: "c", createdAtMs: t0 + 2 }, t0 + 2);
    expect(three.map((s) => s.sealed)).toEqual(["c", "b"]);
  });
});

describe("R-NOTIFY-3/5 events, owners and bodies", () => {
  const event = (data: Record<string, unknown>) =>
    platformEvent({
      type: "dispatch.instruction",
      recipient: "par-1",
      subject: "S/2027-06-14/C1",
      label: "C1:v1",
      version: 1,
      timestampMs: Date.parse("2027-06-14T11:00:00Z"),
      data,
    });

  it("sends { id, type, timestamp, data }; data over 20 KB as { href }", () => {
    const small = event({ deliveryDate: "2027-06-14", constraintId: "C1", version: 1, units: [] });
    expect(JSON.parse(webhookBody(small))).toEqual({
      id: small.id,
      type: "dispatch.instruction",
      timestamp: "2027-06-14T11:00:00Z",
      data: small.data,
    });
    const large = event({
      deliveryDate: "2027-06-14",
      constraintId: "C1",
      version: 1,
      units: "x".repeat(MAX_DATA_BYTES),
    });
    expect(JSON.parse(webhookBody(large)).data).toEqual({
      href: "/merit-order-instructions?deliveryDate=2027-06-14&constraintId=C1&version=1",
    });
    expect(webhookBody(large)).toBe(webhookBody(large));
  });

  it("names one delivery per (event, owner), and the ANM's owners per scheme (§19)", () => {
    expect(deliveryIdOf("evt_1", "par-1")).toMatch(/^dlv_[0-9a-f]{20}$/);
    expect(deliveryIdOf("evt_1", "par-1")).toBe(deliveryIdOf("evt_1", "par-1"));
    expect(deliveryIdOf("evt_1", "par-1")).not.toBe(deliveryIdOf("evt_1", "par-2"));
    expect(ownersOf({ recipient: "par-1" })).toEqual([{ owner: "par-1", optional: false }]);
    expect(ownersOf({ recipient: ANM_RECIPIENT, anmSchemeId: "S" })).toEqual([
      { owner: "anm:S", optional: false },
      { owner: "anm", optional: true },
    ]);
    expect(endpointOwnerOf({ role: "anm", principalId: "anm" })).toBe("anm");
    expect(endpointOwnerOf({ role: "anm", principalId: "k", anmSchemeId: "S" })).toBe("anm:S");
    expect(endpointOwnerOf({ role: "participant", principalId: "par-9" })).toBe("par-9");
  });
});

describe("R-NOTIFY-6 the schedule", () => {
  const pending = { status: "pending" as const, scheduledAttempts: 0, nextAttemptAtMs: 0 };
  const failure = (startedAtMs: number, extra = {}) => ({
    startedAtMs,
    durationMs: 100,
    statusCode: 500,
    ...extra,
  });
  const options = { manual: false, delaysMs: DEFAULT_RETRY_DELAYS_MS, jitter: 0 };

  it("waits each delay from the end of the attempt, plus at most 10 % jitter, never less", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (made, jitter) => {
          const u = afterAttempt({ ...pending, scheduledAttempts: made }, failure(1_000), {
            ...options,
            jitter,
          });
          const delay = DEFAULT_RETRY_DELAYS_MS[made]!;
          expect(u.status).toBe("pending");
          expect(u.nextAttemptAtMs).toBeGreaterThanOrEqual(1_100 + delay);
          expect(u.nextAttemptAtMs).toBeLessThanOrEqual(1_100 + Math.ceil(delay * 1.1));
        },
      ),
      propertyParams("R-NOTIFY-6 schedule", 1_000),
    );
  });

  it("fails after the 10th failure; 2xx succeeds; 410 fails and says gone", () => {
    expect(afterAttempt({ ...pending, scheduledAttempts: 9 }, failure(0), options)).toMatchObject({
      status: "failed",
      scheduledAttempts: 10,
      nextAttemptAtMs: undefined,
    });
    expect(afterAttempt(pending, failure(0, { statusCode: 204 }), options).status).toBe(
      "succeeded",
    );
    expect(afterAttempt(pending, failure(0, { statusCode: 410 }), options)).toMatchObject({
      status: "failed",
      gone: true,
    });
    expect(
      afterAttempt(pending, failure(0, { statusCode: 301, error: "redirect" }), options).status,
    ).toBe("pending");
  });

  it("takes Retry-After as a minimum, at most 24 h", () => {
    const later = afterAttempt(pending, failure(0, { retryAfterMs: 60_000 }), options);
    expect(later.nextAttemptAtMs).toBe(100 + 60_000);
    const capped = afterAttempt(pending, failure(0, { retryAfterMs: 10 * 86_400_000 }), options);
    expect(capped.nextAttemptAtMs).toBe(100 + 86_400_000);
    expect(retryAfterMs("120", 0)).toBe(120_000);
    expect(retryAfterMs("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("2015-10-21T07:27:00Z"))).toBe(
      60_000,
    );
    expect(retryAfterMs("soon", 0)).toBeUndefined();
  });

  it("a manual retry that fails changes neither status nor schedule; one that succeeds ends it (§19)", () => {
    const manual = { ...options, manual: true };
    const failed = { status: "failed" as const, scheduledAttempts: 10, nextAttemptAtMs: undefined };
    expect(afterAttempt(failed, failure(0), manual)).toMatchObject({
      status: "failed",
      scheduledAttempts: 10,
      nextAttemptAtMs: undefined,
      attempt: { manual: true },
    });
    const waiting = {
      status: "pending" as const,
      scheduledAttempts: 3,
      nextAttemptAtMs: 5_000_000,
    };
    expect(afterAttempt(waiting, failure(0), manual)).toMatchObject({
      status: "pending",
      scheduledAttempts: 3,
      nextAttemptAtMs: 5_000_000,
    });
    expect(afterAttempt(failed, failure(0, { statusCode: 200 }), manual).status).toBe("succeeded");
  });
});
