import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { type AccessWorld, ANM_SCHEME, createAccessWorld } from "../support/access-world";
import { leaksIn } from "../support/response-scan";
import { useLocalStack } from "../support/use-local-stack";

/**
 * Participants, assets and keys on the local stack over real HTTP and DynamoDB Local: a newcomer's path, the one-time
 * key claim, suspension, MOL entry claims, Idempotency-Key replays, the audit trail, and no
 * secret or hash in the table in clear or in any answer.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const local = useLocalStack();
let world: AccessWorld;
let operator: string;

beforeAll(async () => {
  operator = local.stack.keys.operator;
  world = await createAccessWorld(local.stack.url, operator, local.stack.keys.anm);
});

async function tableItems(): Promise<Record<string, unknown>[]> {
  const { dynamoDocumentClient } = await import("../../functions/runtime/clients");
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDocumentClient().send(
      new ScanCommand({ TableName: local.stack.tableName, ExclusiveStartKey }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

describe("a newcomer's path", () => {
  it("registers, is approved, claims its key, reads /me, registers an asset that is qualified and listed", async () => {
    const registration = await world.call("POST", "/registrations", {
      body: world.registrationBody(),
    });
    expect(registration.status).toBe(201);
    expect(registration.body).toEqual({
      participantId: expect.stringMatching(/^par-[0-9a-f]{20}$/),
      status: "pending",
      claimSecret: expect.stringMatching(/^cls_/),
    });
    const { participantId, claimSecret } = registration.body;

    const early = await world.call("POST", `/registrations/${participantId}/api-key`, {
      body: { claimSecret },
    });
    expect(early).toMatchObject({ status: 409, body: { code: "NOT_APPROVED" } });

    const pending = await world.call("GET", "/participants", {
      key: operator,
      query: { status: "pending" },
    });
    expect(pending.status).toBe(200);
    expect(pending.body.items.map((p: { participantId: string }) => p.participantId)).toContain(
      participantId,
    );

    const approved = await world.call("POST", `/participants/${participantId}/decision`, {
      key: operator,
      body: { decision: "approve", reason: "documents checked" },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      participantId,
      status: "approved",
      statusReason: "documents checked",
    });

    const wrong = await world.call("POST", `/registrations/${participantId}/api-key`, {
      body: { claimSecret: `cls_${"A".repeat(43)}` },
    });
    expect(wrong).toMatchObject({ status: 404, body: { code: "NOT_FOUND" } });

    const claim = await world.call("POST", `/registrations/${participantId}/api-key`, {
      body: { claimSecret },
    });
    expect(claim.status).toBe(201);
    const apiKey: string = claim.body.apiKey;
    expect(apiKey).toMatch(/^btr_/);
    const again = await world.call("POST", `/registrations/${participantId}/api-key`, {
      body: { claimSecret },
    });
    expect(again).toMatchObject({ status: 409, body: { code: "ALREADY_CLAIMED" } });

    const me = await world.call("GET", "/me", { key: apiKey });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ participantId, status: "approved", apiKeyIssued: true });
    expect(Object.keys(me.body).sort()).toEqual(
      [
        "apiKeyIssued",
        "contact",
        "createdAt",
        "organisation",
        "participantId",
        "status",
        "statusReason",
        "updatedAt",
      ].sort(),
    );

    const body = world.assetBody();
    const asset = await world.call("POST", "/assets", { key: apiKey, body });
    expect(asset.status).toBe(201);
    expect(asset.body).toMatchObject({ ...body, participantId, status: "pending" });
    const { assetId } = asset.body;

    const qualified = await world.call("POST", `/assets/${assetId}/decision`, {
      key: operator,
      body: { decision: "qualify" },
    });
    expect(qualified).toMatchObject({ status: 200, body: { assetId, status: "qualified" } });

    const list = await world.call("GET", "/assets", { key: apiKey });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ assetId, status: "qualified" })]);
    expect((await world.call("GET", `/assets/${assetId}`, { key: apiKey })).status).toBe(200);

    const audit = await world.call("GET", "/audit", {
      key: operator,
      query: { subject: participantId },
    });
    expect(audit.body.items.map((r: { action: string }) => r.action)).toEqual([
      "participant.registered",
      "participant.approved",
      "participant.api-key-issued",
    ]);
    expect(audit.body.items[1]).toMatchObject({
      actor: { role: "operator", principalId: "operator" },
      from: "pending",
      to: "approved",
      reason: "documents checked",
    });
    const assetAudit = await world.call("GET", "/audit", {
      key: operator,
      query: { subject: assetId },
    });
    expect(assetAudit.body.items.map((r: { action: string }) => r.action)).toEqual([
      "asset.registered",
      "asset.qualified",
    ]);

    // For the day-ahead cycle: the qualified asset's entries are claims of an approved participant.
    const { deps } = await import("../../functions/runtime/deps");
    const { eligibleClaimsOfScheme } = await import("../../functions/core/access/entry-claims");
    const claims = await eligibleClaimsOfScheme(deps, ANM_SCHEME);
    expect(claims.filter((c) => c.assetId === assetId)).toEqual(
      (body.molEntryIds as string[]).map((entryId) => ({
        entryId,
        participantId,
        assetId,
        flexibleServiceWindows: [
          {
            startMs: Date.parse("2027-06-14T16:00:00+01:00"),
            endMs: Date.parse("2027-06-14T19:00:00+01:00"),
          },
        ],
      })),
    );
  });
});

describe("suspension", () => {
  it("stops the key at once (401), and reinstating starts it again", async () => {
    const holder = await world.newKeyholder();
    expect((await world.call("GET", "/me", { key: holder.apiKey })).status).toBe(200);
    await world.decide(holder.participantId, "suspend");
    expect(await world.call("GET", "/me", { key: holder.apiKey })).toMatchObject({
      status: 401,
      body: { code: "UNAUTHENTICATED" },
    });
    await world.decide(holder.participantId, "approve");
    expect((await world.call("GET", "/me", { key: holder.apiKey })).status).toBe(200);
  });

  it.each([
    ["pending", "suspend"],
    ["approved", "approve"],
    ["rejected", "approve"],
  ] as const)(
    "refuses a decision not allowed from %s (%s): 409 DECISION_NOT_ALLOWED",
    async (state, decision) => {
      const { participantId } = await world.newRegistration();
      if (state === "approved") await world.decide(participantId, "approve");
      if (state === "rejected") await world.decide(participantId, "reject");
      const answer = await world.call("POST", `/participants/${participantId}/decision`, {
        key: operator,
        body: { decision },
      });
      expect(answer).toMatchObject({ status: 409, body: { code: "DECISION_NOT_ALLOWED" } });
    },
  );
});

describe("MOL entry claims", () => {
  it("are unique per ANM scheme among assets that are not rejected, and released on rejection", async () => {
    const body = world.assetBody();
    const first = await world.call("POST", "/assets", { key: world.participantA.apiKey, body });
    expect(first.status).toBe(201);
    const clash = {
      ...world.assetBody(),
      molEntryIds: ["E-fresh-1", (body.molEntryIds as string[])[1]],
    };
    const refused = await world.call("POST", "/assets", {
      key: world.participantB.apiKey,
      body: clash,
    });
    expect(refused).toMatchObject({
      status: 409,
      body: { code: "ENTRY_ALREADY_CLAIMED", errors: [{ path: "molEntryIds.1" }] },
    });
    // Nothing of the refused asset was kept: its other entry is still free.
    const other = { ...world.assetBody(), molEntryIds: ["E-fresh-1"] };
    // Another scheme may use the same entry id.
    const elsewhere = { ...clash, anmSchemeId: "SPEN-ANM-02" };
    expect(
      (await world.call("POST", "/assets", { key: world.participantB.apiKey, body: elsewhere }))
        .status,
    ).toBe(201);

    const rejected = await world.call("POST", `/assets/${first.body.assetId}/decision`, {
      key: operator,
      body: { decision: "reject", reason: "not our network" },
    });
    expect(rejected).toMatchObject({ status: 200, body: { status: "rejected" } });
    expect(
      (await world.call("POST", "/assets", { key: world.participantB.apiKey, body: clash })).status,
    ).toBe(201);
    expect(
      (await world.call("POST", "/assets", { key: world.participantB.apiKey, body: other })).status,
    ).toBe(409);
  });

  it("lets one of many concurrent registrations of one entry win", async () => {
    const entry = `E-race-${Date.now()}`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        world.call("POST", "/assets", {
          key: world.participantB.apiKey,
          body: { ...world.assetBody(), molEntryIds: [entry] },
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(9);
  });
});

describe("Idempotency-Key", () => {
  it("replays the first response and stores one object; another body is 422 IDEMPOTENCY_KEY_REUSED", async () => {
    const key = crypto.randomUUID();
    const body = world.assetBody();
    const headers = { "Idempotency-Key": key };
    const first = await world.call("POST", "/assets", {
      key: world.participantA.apiKey,
      body,
      headers,
    });
    const replays = [];
    for (let i = 0; i < 5; i += 1) {
      replays.push(
        await world.call("POST", "/assets", { key: world.participantA.apiKey, body, headers }),
      );
    }
    expect(first.status).toBe(201);
    for (const replay of replays) {
      expect(replay.status).toBe(201);
      expect(replay.body).toEqual(first.body);
    }
    const list = await world.call("GET", "/assets", {
      key: world.participantA.apiKey,
      query: { limit: "100" },
    });
    expect(list.body.items.filter((a: { name: string }) => a.name === body.name)).toHaveLength(1);

    const reused = await world.call("POST", "/assets", {
      key: world.participantA.apiKey,
      body: { ...body, name: "another name" },
      headers,
    });
    expect(reused).toMatchObject({ status: 422, body: { code: "IDEMPOTENCY_KEY_REUSED" } });
    // The key is per caller: participant B may use the same key for its own request.
    const other = await world.call("POST", "/assets", {
      key: world.participantB.apiKey,
      body: world.assetBody(),
      headers,
    });
    expect(other.status).toBe(201);
  });

  it("under 10 concurrent requests with one key stores one object", async () => {
    const body = world.assetBody();
    const headers = { "Idempotency-Key": crypto.randomUUID() };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        world.call("POST", "/assets", { key: world.participantA.apiKey, body, headers }),
      ),
    );
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((a) => a.body.assetId)).size).toBe(1);
    for (const answer of answers) expect([201, 409]).toContain(answer.status);
    const items = (await tableItems()).filter(
      (item) => item.type === "Asset" && item.name === body.name,
    );
    expect(items).toHaveLength(1);
  });

  it("replays a registration with the same claim secret, which is not stored in clear", async () => {
    const body = world.registrationBody();
    const headers = { "Idempotency-Key": crypto.randomUUID() };
    const first = await world.call("POST", "/registrations", { body, headers });
    const second = await world.call("POST", "/registrations", { body, headers });
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    const participants = (await tableItems()).filter(
      (item) => item.participantId === first.body.participantId,
    );
    expect(participants.filter((item) => item.type === "Participant")).toHaveLength(1);
    expect(JSON.stringify(await tableItems())).not.toContain(first.body.claimSecret);
  });

  it("does not remember a refused request: the corrected retry with the same key runs", async () => {
    const headers = { "Idempotency-Key": crypto.randomUUID() };
    const bad = await world.call("POST", "/assets", {
      key: world.participantA.apiKey,
      body: { ...world.assetBody(), exportCapacityMw: -1 },
      headers,
    });
    expect(bad.status).toBe(400);
    const good = await world.call("POST", "/assets", {
      key: world.participantA.apiKey,
      body: world.assetBody(),
      headers,
    });
    expect(good.status).toBe(201);
  });
});

describe("secrets and hashes", () => {
  it("keeps no API key or claim secret in clear in the table", async () => {
    const text = JSON.stringify(await tableItems());
    for (const key of [
      world.participantA.apiKey,
      world.participantB.apiKey,
      operator,
      local.stack.keys.anm,
    ]) {
      expect(text).not.toContain(key);
    }
    expect(text).not.toMatch(/cls_[A-Za-z0-9_-]{43}/);
  });

  it("never answers a stack trace, an AWS error name or a hash", async () => {
    const items = await tableItems();
    const hashes = items.flatMap((item) =>
      [item.keyHash, item.claimSecretHash, item.fingerprint].filter(
        (v): v is string => typeof v === "string",
      ),
    );
    expect(hashes.length).toBeGreaterThan(3);
    // a few more answers of the kinds that could leak: unknown routes, bad JSON, big bodies
    await world.call("POST", "/assets", { key: world.participantA.apiKey, rawBody: "{nope" });
    await world.call("POST", "/registrations", {
      rawBody: JSON.stringify({ x: "y".repeat(1_100_000) }),
    });
    await world.call("GET", "/participants", { key: operator, query: { nextToken: "bad" } });
    await world.call("GET", "/nowhere");
    expect(world.answers.length).toBeGreaterThan(50);
    for (const answer of world.answers) expect(leaksIn(answer.text, hashes)).toEqual([]);
  });
});

describe("paged lists (api.md: `{ items, nextToken? }`, limit ≤ 100)", () => {
  /** Every item of a list, walked `limit` at a time; the pages' sizes alongside. */
  async function walk(path: string, key: string, query: Record<string, string>, limit: number) {
    const items: Record<string, unknown>[] = [];
    const sizes: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await world.call("GET", path, {
        key,
        query: { ...query, limit: String(limit), ...(nextToken ? { nextToken } : {}) },
      });
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      sizes.push(page.body.items.length);
      nextToken = page.body.nextToken;
    } while (nextToken !== undefined && sizes.length < 100);
    expect(nextToken, "the list ended within 100 pages").toBeUndefined();
    return { items, sizes };
  }

  it("walks participants, one owner's assets and one subject's audit records page by page, each item once", async () => {
    const owner = await world.newKeyholder();
    const assets: string[] = [];
    for (let i = 0; i < 7; i += 1) assets.push((await world.newAsset(owner)).assetId);
    const pending: string[] = [];
    for (let i = 0; i < 7; i += 1) pending.push((await world.newRegistration()).participantId);

    const whole = await walk("/participants", operator, { status: "pending" }, 100);
    const paged = await walk("/participants", operator, { status: "pending" }, 3);
    const ids = (list: Record<string, unknown>[], field: string) => list.map((x) => x[field]);
    expect(paged.sizes.every((n) => n <= 3)).toBe(true);
    expect(paged.sizes.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ids(paged.items, "participantId")).size).toBe(paged.items.length);
    expect(ids(paged.items, "participantId")).toEqual(ids(whole.items, "participantId"));
    expect(ids(paged.items, "participantId")).toEqual(expect.arrayContaining(pending));

    const mine = await walk("/assets", owner.apiKey, {}, 2);
    expect(mine.sizes.every((n) => n <= 2)).toBe(true);
    expect([...ids(mine.items, "assetId")].sort()).toEqual([...assets].sort());

    // the owner's trail: registered, approved, key claimed, …; walked 2 at a time, oldest first
    const trail = await walk("/audit", operator, { subject: owner.participantId }, 2);
    const trailWhole = await walk("/audit", operator, { subject: owner.participantId }, 100);
    expect(trail.items.length).toBeGreaterThanOrEqual(3);
    expect(ids(trail.items, "recordId")).toEqual(ids(trailWhole.items, "recordId"));
    const times = ids(trail.items, "at") as string[];
    expect(times).toEqual([...times].sort());
  });

  it("refuses a nextToken of another list or partition with 400 naming nextToken, and a limit over 100", async () => {
    // two pending registrations of its own, so that a one-item page has a nextToken
    await world.newRegistration();
    await world.newRegistration();
    const first = await world.call("GET", "/participants", {
      key: operator,
      query: { status: "pending", limit: "1" },
    });
    const token = first.body.nextToken as string;
    expect(typeof token).toBe("string");
    for (const [path, query] of [
      ["/participants", { status: "approved", nextToken: token }],
      ["/audit", { nextToken: token }],
    ] as const) {
      const refused = await world.call("GET", path, { key: operator, query });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ path: "nextToken" })]);
    }
    const tooMany = await world.call("GET", "/participants", {
      key: operator,
      query: { limit: "101" },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([expect.objectContaining({ path: "limit" })]);
  });
});
