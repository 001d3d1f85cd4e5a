import { describe, expect, it } from "vitest";
import { issueOperatorKey } from "../../functions/core/access/api-keys";
import { ROUTES } from "../../functions/http/routes";
import { clockSource } from "../../functions/runtime/deps";
import { onboard, type Trader, waitFor } from "../../lib/client/api-client";
import { useLocalStack } from "../support/use-local-stack";
import { workedExample } from "../support/worked-example";

/**
 * Schemes and keys over HTTP on the local stack (docs/api.md "Schemes, keys and the local
 * trial clock"): scheme versions apply by delivery day (derating and price cap), the version a
 * day ran under cannot be changed, ANM keys are bound to their scheme, a revoked key stops at its
 * next request, a participant rotates its key and the operator re-issues one, and the audit log
 * names the operator key that decided.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const local = useLocalStack();
const operator = () => local.stack.keys.operator;
const bootstrapAnm = () => local.stack.keys.anm;

const SCHEME_A = "SCH-A";
const SCHEME_B = "SCH-B";
/** Days with a version from the 14th on; the 13th runs on the defaults. */
const DAY_DEFAULTS = "2027-06-13";
const DAY_V1 = "2027-06-14";
const DAY_V2 = "2027-06-15";

const scenario = workedExample();

function lookAhead(anmSchemeId: string, deliveryDate: string, lookAheadId: string) {
  return {
    ...scenario.lookAhead,
    lookAheadId,
    anmSchemeId,
    deliveryDate,
    gateClosureAt: new Date(Date.now() + 120_000).toISOString(),
  };
}

async function cycleOf(key: string, anmSchemeId: string, day: string, id: string) {
  const { cycleId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
    key,
    body: lookAhead(anmSchemeId, day, id),
  });
  return waitFor(
    () => local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: operator() }),
    (c) => c.status === "markets-open" || c.status === "failed",
  );
}

async function opportunitiesOf(trader: Trader, day: string) {
  const { items } = await local.api.expect(200, "GET", `/opportunities?deliveryDate=${day}`, {
    key: trader.apiKey,
  });
  return items as { entryId: string; side: string; maxQuantityMw: number; marketId: string }[];
}

describe("scheme configuration by delivery day", () => {
  const traders = new Map<string, Trader>();

  it("refuses a configuration that breaks a rule with 422 and the field paths, storing nothing", async () => {
    const refused = await local.api.request("PUT", `/schemes/${SCHEME_A}`, {
      key: operator(),
      body: {
        name: "Scheme A",
        effectiveFrom: DAY_V1,
        config: { deratingFactor: 1.2, graceFactor: 0.05, performanceFloor: 0.96 },
      },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("SCHEME_CONFIG_INVALID");
    expect(refused.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "config.deratingFactor",
      "config.performanceFloor",
    ]);
    const shape = await local.api.request("PUT", `/schemes/${SCHEME_A}`, {
      key: operator(),
      body: { name: "Scheme A", effectiveFrom: DAY_V1, config: { deratingFactor: "high" } },
    });
    expect(shape.status).toBe(400);
    expect(shape.body.code).toBe("VALIDATION_FAILED");
    await local.api.expect(404, "GET", `/schemes/${SCHEME_A}`, { key: operator() });
  });

  it("stores version 1 (201), and a replay of the same body adds no version (200)", async () => {
    const body = {
      name: "Scheme A",
      effectiveFrom: DAY_V1,
      config: {
        deratingFactor: 0.8,
        priceCapGbp: 100,
        gateClosure: { daysBefore: 1, localTime: "10:30" },
      },
    };
    const first = await local.api.expect(201, "PUT", `/schemes/${SCHEME_A}`, {
      key: operator(),
      body,
    });
    expect(first.versions).toHaveLength(1);
    expect(first.versions[0]).toMatchObject({ version: 1, effectiveFrom: DAY_V1 });
    const again = await local.api.expect(200, "PUT", `/schemes/${SCHEME_A}`, {
      key: operator(),
      body,
    });
    expect(again.versions).toHaveLength(1);
    await local.api.expect(201, "PUT", `/schemes/${SCHEME_B}`, {
      key: operator(),
      body: { name: "Scheme B", effectiveFrom: DAY_V1, config: {} },
    });
  });

  it("runs a day under the version in force: derated sellers, the cap refuses £150 (422)", async () => {
    for (const asset of scenario.assets)
      traders.set(
        asset.participantId,
        await onboard(local.api, operator(), {
          name: asset.participantId.toUpperCase(),
          anmSchemeId: SCHEME_A,
          entryIds: asset.molEntryIds,
        }),
      );
    const cycle = await cycleOf(bootstrapAnm(), SCHEME_A, DAY_V1, "la-v1");
    expect(cycle.status).toBe("markets-open");
    expect(cycle.schemeVersion).toBe(1);
    const g5 = await opportunitiesOf(traders.get("g5")!, DAY_V1);
    const g1 = await opportunitiesOf(traders.get("g1")!, DAY_V1);
    const g4 = await opportunitiesOf(traders.get("g4")!, DAY_V1);
    // R-ELIG-3: sellers' max sell is k × min forecast (3 MW → 2.4, 8 MW → 6.4); buyers unchanged.
    expect(g5.map((o) => [o.side, o.maxQuantityMw])).toEqual([["sell", 2.4]]);
    expect(g1.map((o) => [o.side, o.maxQuantityMw])).toEqual([["sell", 6.4]]);
    expect(g4.map((o) => [o.side, o.maxQuantityMw])).toEqual([["buy", 4.5]]);
    const capped = await local.api.request("POST", "/orders", {
      key: traders.get("g4")!.apiKey,
      body: {
        marketId: g4[0]!.marketId,
        entryId: "G4-A",
        side: "buy",
        quantityMw: 1,
        availabilityPrice: 150,
        utilisationPrice: 20,
      },
    });
    expect(capped.status).toBe(422);
    expect(capped.body.code).toBe("PRICE_EXCEEDS_CAP");
    await local.api.expect(201, "POST", "/orders", {
      key: traders.get("g4")!.apiKey,
      body: {
        marketId: g4[0]!.marketId,
        entryId: "G4-A",
        side: "buy",
        quantityMw: 1,
        availabilityPrice: 100,
        utilisationPrice: 20,
      },
    });
  });

  it("takes the scheme's gate closure default when the look-ahead gives none", async () => {
    const { gateClosureAt: _own, ...withoutGate } = lookAhead(SCHEME_A, "2027-06-20", "la-gate");
    // D-133: a gate closure at most 96 hours ahead, so the platform's clock is set to the day
    // before for the look-ahead (the cycle then waits for its gate closure; nothing reads it).
    const real = clockSource.current;
    clockSource.current = { nowMs: () => Date.parse("2027-06-18T12:00:00Z") };
    try {
      const { cycleId } = await local.api.expect(202, "POST", "/anm/look-aheads", {
        key: bootstrapAnm(),
        body: withoutGate,
      });
      const cycle = await local.api.expect(200, "GET", `/cycles/${cycleId}`, { key: operator() });
      // 10:30 Europe/London (BST) on the day before: 09:30Z.
      expect(cycle.gateClosureAt).toBe("2027-06-19T09:30:00Z");
    } finally {
      clockSource.current = real;
    }
  });

  it("runs a day before the first version on the defaults (schemeVersion null)", async () => {
    const cycle = await cycleOf(bootstrapAnm(), SCHEME_A, DAY_DEFAULTS, "la-defaults");
    expect(cycle.schemeVersion).toBeNull();
    const g5 = await opportunitiesOf(traders.get("g5")!, DAY_DEFAULTS);
    expect(g5.map((o) => o.maxQuantityMw)).toEqual([3]);
  });

  it("refuses a version for a day that already has a look-ahead (409), accepts one after it", async () => {
    const inUse = await local.api.request("PUT", `/schemes/${SCHEME_A}`, {
      key: operator(),
      body: { name: "Scheme A", effectiveFrom: DAY_V1, config: { deratingFactor: 0.5 } },
    });
    expect(inUse.status).toBe(409);
    expect(inUse.body.code).toBe("SCHEME_VERSION_IN_USE");
    // 2027-06-20 has a look-ahead too (the gate-closure case): the next version starts after it.
    const tooEarly = await local.api.request("PUT", `/schemes/${SCHEME_A}`, {
      key: operator(),
      body: { name: "Scheme A", effectiveFrom: DAY_V2, config: {} },
    });
    expect(tooEarly.status).toBe(409);
    const v2 = await local.api.expect(200, "PUT", `/schemes/${SCHEME_A}`, {
      key: operator(),
      body: { name: "Scheme A", effectiveFrom: "2027-06-21", config: { deratingFactor: 0.9 } },
    });
    expect(v2.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const cycle = await cycleOf(bootstrapAnm(), SCHEME_A, "2027-06-21", "la-v2");
    expect(cycle.schemeVersion).toBe(2);
    const g5 = await opportunitiesOf(traders.get("g5")!, "2027-06-21");
    expect(g5.map((o) => o.maxQuantityMw)).toEqual([2.7]);
    // The earlier day keeps the version it ran under.
    const v1Day = await local.api.expect(200, "GET", `/cycles?deliveryDate=${DAY_V1}`, {
      key: operator(),
    });
    expect(v1Day.items.map((c: { schemeVersion: number }) => c.schemeVersion)).toEqual([1]);
  });
});

describe("ANM keys bound to a scheme", () => {
  let keyOfA: { keyId: string; apiKey: string };

  it("are issued for a registered scheme only, shown once", async () => {
    keyOfA = await local.api.expect(201, "POST", `/schemes/${SCHEME_A}/anm-keys`, {
      key: operator(),
      body: { name: "Scheme A ANM" },
    });
    expect(keyOfA.keyId).toMatch(/^key-[0-9a-f]{20}$/);
    expect(keyOfA.apiKey).toMatch(/^btr_/);
    await local.api.expect(404, "POST", "/schemes/NOT-REGISTERED/anm-keys", { key: operator() });
    const whoami = await local.api.expect(200, "GET", "/whoami", { key: keyOfA.apiKey });
    expect(whoami).toEqual({
      role: "anm",
      principalId: `anm:${SCHEME_A}`,
      keyId: keyOfA.keyId,
      anmSchemeId: SCHEME_A,
    });
  });

  it("act for their own scheme", async () => {
    await local.api.expect(202, "POST", "/anm/look-aheads", {
      key: keyOfA.apiKey,
      body: lookAhead(SCHEME_A, "2027-06-22", "la-own"),
    });
    const merit = await local.api.request(
      "GET",
      `/anm/merit-order?anmSchemeId=${SCHEME_A}&deliveryDate=2027-06-22&constraintId=C1`,
      { key: keyOfA.apiKey },
    );
    expect(merit.status).toBe(200);
    const own = await local.api.expect(200, "GET", "/schemes", { key: keyOfA.apiKey });
    expect(own.items.map((s: { anmSchemeId: string }) => s.anmSchemeId)).toEqual([SCHEME_A]);
    const all = await local.api.expect(200, "GET", "/schemes", { key: bootstrapAnm() });
    expect(all.items.map((s: { anmSchemeId: string }) => s.anmSchemeId)).toEqual([
      SCHEME_A,
      SCHEME_B,
    ]);
  });

  it("get 404 for another scheme on every ANM route, exactly as for an unknown scheme", async () => {
    const requests: Record<string, (scheme: string) => [string, string, unknown?]> = {
      PostLookAhead: (scheme) => [
        "POST",
        "/anm/look-aheads",
        lookAhead(scheme, "2027-06-23", "la-x"),
      ],
      GetMeritOrder: (scheme) => [
        "GET",
        `/anm/merit-order?anmSchemeId=${scheme}&deliveryDate=${DAY_V1}&constraintId=C1`,
      ],
      GetScheme: (scheme) => ["GET", `/schemes/${scheme}`],
      PostActuals: (scheme) => [
        "POST",
        "/anm/actuals",
        {
          actualsId: "act-x",
          anmSchemeId: scheme,
          deliveryDate: "2027-06-01",
          constraints: [{ constraintId: "C1", requiredCurtailmentMw: [] }],
        },
      ],
      GetActuals: (scheme) => ["GET", `/anm/actuals?anmSchemeId=${scheme}&deliveryDate=${DAY_V1}`],
      ListMeritOrderInstructions: (scheme) => [
        "GET",
        `/merit-order-instructions?deliveryDate=${DAY_V1}&constraintId=C1&anmSchemeId=${scheme}`,
      ],
      PostTopologyChange: (scheme) => [
        "POST",
        "/anm/topology-changes",
        {
          topologyChangeId: "TC-x",
          anmSchemeId: scheme,
          deliveryDate: DAY_V1,
          effectiveFrom: `${DAY_V1}T12:40:00+01:00`,
          constraints: [
            {
              constraintId: "C1",
              entries: [{ entryId: "G4-A", resourceId: "G4", capacityMw: 5, curtailmentOrder: 1 }],
            },
          ],
        },
      ],
      ListTopologyChanges: (scheme) => [
        "GET",
        `/anm/topology-changes?anmSchemeId=${scheme}&deliveryDate=${DAY_V1}`,
      ],
    };
    // Every route an ANM key may call that names a scheme has a row (GET /whoami and GET /schemes
    // name none; GET /schemes lists only the key's scheme, checked above; the webhook endpoint
    // routes act on the key's own endpoint, whose owner is its scheme, D-161; GET
    // /curtailment-index names entries, not schemes; a veto names a market).
    const noScheme = ["GetWhoAmI", "ListSchemes", "GetCurtailmentIndex", "PostMarketVeto"];
    const anmRoutes = ROUTES.filter(
      (r) =>
        r.roles !== "none" &&
        (r.roles as readonly string[]).includes("anm") &&
        !r.path.startsWith("/webhook-"),
    ).map((r) => r.id);
    expect(anmRoutes.filter((id) => !noScheme.includes(id)).sort()).toEqual(
      Object.keys(requests).sort(),
    );
    for (const [route, build] of Object.entries(requests)) {
      const [method, path, body] = build(SCHEME_B);
      const other = await local.api.request(method, path, {
        key: keyOfA.apiKey,
        ...(body === undefined ? {} : { body }),
      });
      expect(other.status, route).toBe(404);
      expect(other.body.code, route).toBe("NOT_FOUND");
      const [m2, p2, b2] = build("NO-SUCH-SCHEME");
      const unknown = await local.api.request(m2, p2, {
        key: bootstrapAnm(),
        ...(b2 === undefined ? {} : { body: b2 }),
      });
      // The unknown scheme answers the bootstrap key 404 too, except a look-ahead, which an
      // unregistered scheme may send (it runs on the defaults), and actuals, which are checked
      // against the day's published day-ahead (422 ACTUALS_INVALID without one), and the
      // topology changes, which are checked against the day's published merit order (409
      // MERIT_ORDER_NOT_PUBLISHED) or listed (an empty day).
      const checkedByDay = [
        "PostLookAhead",
        "PostActuals",
        "PostTopologyChange",
        "ListTopologyChanges",
      ];
      if (!checkedByDay.includes(route)) expect(unknown.status, route).toBe(404);
    }
    // Nothing of scheme B was started by the refused look-ahead.
    const day = await local.api.expect(200, "GET", "/cycles?deliveryDate=2027-06-23", {
      key: operator(),
    });
    expect(day.items.filter((c: { anmSchemeId: string }) => c.anmSchemeId === SCHEME_B)).toEqual(
      [],
    );
  });

  it("a revoked key gets 401 on its next request; the list shows it revoked, never a key", async () => {
    await local.api.expect(200, "GET", "/whoami", { key: keyOfA.apiKey });
    const revoked = await local.api.expect(200, "DELETE", `/api-keys/${keyOfA.keyId}`, {
      key: operator(),
    });
    expect(revoked).toMatchObject({
      keyId: keyOfA.keyId,
      status: "revoked",
      anmSchemeId: SCHEME_A,
    });
    const after = await local.api.request("GET", "/whoami", { key: keyOfA.apiKey });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe("UNAUTHENTICATED");
    const again = await local.api.expect(200, "DELETE", `/api-keys/${keyOfA.keyId}`, {
      key: operator(),
    });
    expect(again.status).toBe("revoked");
    await local.api.expect(404, "DELETE", "/api-keys/key-00000000000000000000", {
      key: operator(),
    });
    const listed = await local.api.expect(200, "GET", "/api-keys", { key: operator() });
    const item = listed.items.find((k: { keyId: string }) => k.keyId === keyOfA.keyId);
    expect(item).toMatchObject({ role: "anm", status: "revoked", name: "Scheme A ANM" });
    expect(item.lastUsedAt).toBeDefined();
    expect(JSON.stringify(listed)).not.toContain("btr_");
    expect(JSON.stringify(listed)).not.toMatch(/keyHash|[0-9a-f]{64}/);
  });
});

describe("participant keys: rotation and re-issue", () => {
  let trader: Trader;

  it("rotation gives a new key and stops the one that asked at once", async () => {
    trader = await onboard(local.api, operator(), {
      name: "ROTATOR",
      anmSchemeId: SCHEME_B,
      entryIds: ["R-1"],
    });
    const rotated = await local.api.expect(201, "POST", "/me/api-key-rotations", {
      key: trader.apiKey,
    });
    expect(rotated.apiKey).not.toBe(trader.apiKey);
    expect((await local.api.request("GET", "/me", { key: trader.apiKey })).status).toBe(401);
    const me = await local.api.expect(200, "GET", "/me", { key: rotated.apiKey });
    expect(me.participantId).toBe(trader.participantId);
    trader = { ...trader, apiKey: rotated.apiKey };
  });

  it("re-issue stops the current key and the fresh claim secret claims a new one, once", async () => {
    const { claimSecret } = await local.api.expect(
      201,
      "POST",
      `/participants/${trader.participantId}/key-reissues`,
      { key: operator(), body: { reason: "key lost" } },
    );
    expect((await local.api.request("GET", "/me", { key: trader.apiKey })).status).toBe(401);
    const claimed = await local.api.expect(
      201,
      "POST",
      `/registrations/${trader.participantId}/api-key`,
      { body: { claimSecret } },
    );
    await local.api.expect(200, "GET", "/me", { key: claimed.apiKey });
    await local.api.expect(409, "POST", `/registrations/${trader.participantId}/api-key`, {
      body: { claimSecret },
    });
    expect((await local.api.request("GET", "/me", { key: trader.apiKey })).status).toBe(401);
    const audit = await local.api.expect(200, "GET", `/audit?subject=${trader.participantId}`, {
      key: operator(),
    });
    expect(audit.items.map((r: { action: string }) => r.action)).toEqual([
      "participant.registered",
      "participant.approved",
      "participant.api-key-issued",
      "participant.api-key-rotated",
      "participant.api-key-reissued",
      "participant.api-key-issued",
    ]);
  });
});

describe("operator keys", () => {
  it("have a name and an id, and the audit record of a decision names the key that decided", async () => {
    const { deps } = await import("../../functions/runtime/deps");
    const named = await issueOperatorKey(deps, "Dana on call", {
      role: "operator",
      principalId: "admin-cli",
    });
    const registration = await local.api.expect(201, "POST", "/registrations", {
      body: {
        organisation: {
          legalName: "Audit Energy Ltd",
          companyNumber: "01234567",
          registeredAddress: "1 Grid Street, Leeds",
        },
        contact: { name: "Desk", email: "desk@audit.example" },
      },
    });
    await local.api.expect(200, "POST", `/participants/${registration.participantId}/decision`, {
      key: named.apiKey,
      body: { decision: "approve" },
    });
    const { items } = await local.api.expect(
      200,
      "GET",
      `/audit?subject=${registration.participantId}`,
      { key: operator() },
    );
    const decision = items.find((r: { action: string }) => r.action === "participant.approved");
    expect(decision.actor).toEqual({
      role: "operator",
      principalId: "operator",
      keyId: named.keyId,
    });
    const keys = await local.api.expect(200, "GET", "/api-keys", { key: operator() });
    expect(keys.items.find((k: { keyId: string }) => k.keyId === named.keyId)).toMatchObject({
      role: "operator",
      name: "Dana on call",
      status: "active",
    });
    const registered = items.find((r: { action: string }) => r.action === "participant.registered");
    expect(registered.actor).toEqual({ role: "anonymous", principalId: "anonymous" });
  });
});
