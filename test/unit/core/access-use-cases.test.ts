import { beforeEach, describe, expect, it } from "vitest";
import { keyIdOf, newKeyRecord } from "../../../functions/core/access/api-key";
import { reissueParticipantKey, rotateOwnKey } from "../../../functions/core/access/api-keys";
import type { AssetRegistration } from "../../../functions/core/access/asset";
import { authenticate } from "../../../functions/core/access/authenticate";
import { claimApiKey } from "../../../functions/core/access/claim-api-key";
import { decideAsset } from "../../../functions/core/access/decide-asset";
import { decideParticipant } from "../../../functions/core/access/decide-participant";
import { eligibleClaimsOfScheme, entryOwner } from "../../../functions/core/access/entry-claims";
import type {
  ParticipantDecision,
  ParticipantStatus,
} from "../../../functions/core/access/participant";
import { getAsset, listAssets, listAuditRecords } from "../../../functions/core/access/queries";
import { registerAsset } from "../../../functions/core/access/register-asset";
import { registerParticipant } from "../../../functions/core/access/register-participant";
import { type Actor, ANONYMOUS } from "../../../functions/core/access/roles";
import { DomainError } from "../../../functions/core/errors";
import { type FakePorts, fakePorts } from "../../support/fakes";

/**
 * The access use cases (R-AUTH, D-18..D-24) against in-memory fakes of their ports: what each
 * answers, what it stores, and that a refusal stores nothing. No DynamoDB Local involved; the
 * same behaviour over HTTP is tested in test/integration.
 */
const OPERATOR: Actor = { role: "operator", principalId: "operator" };
const registration = {
  organisation: { legalName: "Wind Ltd", companyNumber: "01234567", registeredAddress: "1 Road" },
  contact: { name: "Ada", email: "ada@example.com" },
};
const asset = (molEntryIds: string[]): AssetRegistration => ({
  name: "Wind farm",
  assetType: "discrete",
  technology: "wind",
  exportCapacityMw: 8,
  connectionVoltageKv: 33,
  postcode: "M1 1AA",
  anmSchemeId: "ANM-1",
  molEntryIds,
  flexibleServiceContracts: [
    { contractId: "FS-1", start: "2027-06-14T16:00:00+01:00", end: "2027-06-14T19:00:00+01:00" },
  ],
});

let ports: FakePorts;
beforeEach(() => {
  ports = fakePorts();
});

async function registered(): Promise<{ participantId: string; claimSecret: string }> {
  const { participant, claimSecret } = await registerParticipant(ports, registration, ANONYMOUS);
  return { participantId: participant.participantId, claimSecret };
}

async function withStatus(status: ParticipantStatus): Promise<string> {
  const { participantId } = await registered();
  const path: Record<ParticipantStatus, ParticipantDecision[]> = {
    pending: [],
    approved: ["approve"],
    rejected: ["reject"],
    suspended: ["approve", "suspend"],
  };
  for (const decision of path[status])
    await decideParticipant(ports, participantId, { decision }, OPERATOR);
  return participantId;
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
  );

describe("registering a participant", () => {
  it("stores a pending participant, only the claim secret's hash, and the audit record", async () => {
    ports.clock.set("2027-06-01T08:30:00.250Z");
    const { participant, claimSecret } = await registerParticipant(ports, registration, ANONYMOUS);
    expect(participant).toMatchObject({
      status: "pending",
      apiKeyIssued: false,
      createdAt: "2027-06-01T08:30:00.250Z",
      ...registration,
    });
    expect(participant.participantId).toMatch(/^par-[0-9a-f]{20}$/);
    const stored = ports.participants.stored.get(participant.participantId)!;
    expect(stored.claimSecretHash).not.toBe(claimSecret);
    expect(stored.claimSecretHash).toBe(await ports.credentials.hashClaimSecret(claimSecret));
    expect(ports.audit.records).toMatchObject([
      { subject: participant.participantId, action: "participant.registered", to: "pending" },
    ]);
  });
});

describe("operator decisions on participants (D-18)", () => {
  it.each([
    ["pending", "approve", "approved", "participant.approved"],
    ["pending", "reject", "rejected", "participant.rejected"],
    ["approved", "suspend", "suspended", "participant.suspended"],
    ["suspended", "approve", "approved", "participant.reinstated"],
    ["suspended", "reject", "rejected", "participant.rejected"],
  ] as const)("a %s participant given %s becomes %s (%s)", async (from, decision, to, action) => {
    const id = await withStatus(from);
    const decided = await decideParticipant(ports, id, { decision, reason: "checked" }, OPERATOR);
    expect(decided).toMatchObject({ status: to, statusReason: "checked" });
    expect(ports.audit.records.at(-1)).toMatchObject({ subject: id, action, from, to });
  });

  it.each([
    ["pending", "suspend"],
    ["approved", "approve"],
    ["approved", "reject"],
    ["rejected", "approve"],
    ["rejected", "reject"],
    ["rejected", "suspend"],
    ["suspended", "suspend"],
  ] as const)(
    "refuses %s + %s with 409 DECISION_NOT_ALLOWED and changes nothing",
    async (from, decision) => {
      const id = await withStatus(from);
      const before = ports.audit.records.length;
      expect(await codeOf(decideParticipant(ports, id, { decision }, OPERATOR))).toBe(
        "DECISION_NOT_ALLOWED",
      );
      expect((await ports.participants.get(id))?.status).toBe(from);
      expect(ports.audit.records).toHaveLength(before);
    },
  );

  it("answers 404 for an unknown participant", async () => {
    expect(
      await codeOf(
        decideParticipant(ports, "par-ffffffffffffffffffff", { decision: "approve" }, OPERATOR),
      ),
    ).toBe("NOT_FOUND");
  });
});

describe("registrations per address (D-150)", () => {
  it("takes the deployment's limit an hour from one address, then 429, and counts per address", async () => {
    const limited = { ...ports, limits: { registrationsPerHour: 2 } };
    for (let n = 0; n < 2; n += 1)
      await registerParticipant(limited, registration, ANONYMOUS, "192.0.2.1");
    const refused = registerParticipant(limited, registration, ANONYMOUS, "192.0.2.1");
    await expect(refused).rejects.toMatchObject({ code: "TOO_MANY_REGISTRATIONS" });
    await expect(refused).rejects.toThrow(/At most 2 registrations/);
    await registerParticipant(limited, registration, ANONYMOUS, "192.0.2.2");
    ports.clock.now += 3_600_000;
    await registerParticipant(limited, registration, ANONYMOUS, "192.0.2.1");
  });
});

describe("claiming the API key (D-20)", () => {
  it("gives the key once after approval and stores only its hash", async () => {
    const { participantId, claimSecret } = await registered();
    await decideParticipant(ports, participantId, { decision: "approve" }, OPERATOR);
    const { apiKey } = await claimApiKey(ports, participantId, claimSecret, ANONYMOUS);
    const stored = await ports.apiKeys.findByHash(ports.credentials.hashApiKey(apiKey));
    expect(stored).toMatchObject({
      role: "participant",
      principalId: participantId,
      status: "active",
    });
    expect([...ports.apiKeys.keys.keys()]).not.toContain(apiKey);
    expect((await ports.participants.get(participantId))?.apiKeyIssued).toBe(true);
    expect(await codeOf(claimApiKey(ports, participantId, claimSecret, ANONYMOUS))).toBe(
      "ALREADY_CLAIMED",
    );
  });

  it("D-149, D-198: a secret expires 30 days after it was issued; a re-issue starts them anew", async () => {
    const { participantId, claimSecret } = await registered();
    await decideParticipant(ports, participantId, { decision: "approve" }, OPERATOR);
    ports.clock.now += 31 * 24 * 3_600_000;
    expect(await codeOf(claimApiKey(ports, participantId, claimSecret, ANONYMOUS))).toBe(
      "CLAIM_SECRET_EXPIRED",
    );
    const reissued = await reissueParticipantKey(ports, participantId, OPERATOR);
    ports.clock.now += 29 * 24 * 3_600_000;
    const { apiKey } = await claimApiKey(ports, participantId, reissued.claimSecret, ANONYMOUS);
    expect(await ports.apiKeys.findByHash(ports.credentials.hashApiKey(apiKey))).toMatchObject({
      principalId: participantId,
      status: "active",
    });
  });

  it("answers a wrong secret exactly as an unknown participant: 404", async () => {
    const { participantId } = await registered();
    await decideParticipant(ports, participantId, { decision: "approve" }, OPERATOR);
    expect(await codeOf(claimApiKey(ports, participantId, "cls_wrong", ANONYMOUS))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(claimApiKey(ports, "par-ffffffffffffffffffff", "cls_x", ANONYMOUS))).toBe(
      "NOT_FOUND",
    );
    expect(ports.apiKeys.keys.size).toBe(0);
  });

  it.each(["pending", "rejected", "suspended"] as const)(
    "refuses a %s participant with 409 NOT_APPROVED",
    async (status) => {
      const { participantId, claimSecret } = await registered();
      const path: Record<string, ParticipantDecision[]> = {
        pending: [],
        rejected: ["reject"],
        suspended: ["approve", "suspend"],
      };
      for (const decision of path[status]!)
        await decideParticipant(ports, participantId, { decision }, OPERATOR);
      expect(await codeOf(claimApiKey(ports, participantId, claimSecret, ANONYMOUS))).toBe(
        "NOT_APPROVED",
      );
      expect(ports.apiKeys.keys.size).toBe(0);
    },
  );
});

describe("assets and their MOL entry claims (D-19)", () => {
  it("registers a pending asset holding its entries; a taken entry is 409 naming it, nothing stored", async () => {
    const owner = await withStatus("approved");
    const first = await registerAsset(ports, owner, asset(["E-1", "E-2"]), {
      role: "participant",
      principalId: owner,
    });
    expect(first).toMatchObject({ status: "pending", participantId: owner });
    const refused = registerAsset(ports, owner, asset(["E-3", "E-2"]), OPERATOR);
    await expect(refused).rejects.toMatchObject({
      code: "ENTRY_ALREADY_CLAIMED",
      errors: [{ path: "molEntryIds.1" }],
    });
    expect(ports.assets.assets.size).toBe(1);
    expect(await ports.claims.claimOf("ANM-1", "E-3")).toBeUndefined();
  });

  it.each([
    ["pending", "qualify", "qualified"],
    ["pending", "reject", "rejected"],
    ["qualified", "reject", "rejected"],
  ] as const)("a %s asset given %s becomes %s", async (from, decision, to) => {
    const owner = await withStatus("approved");
    const { assetId } = await registerAsset(ports, owner, asset(["E-1"]), OPERATOR);
    if (from === "qualified") await decideAsset(ports, assetId, { decision: "qualify" }, OPERATOR);
    expect(await decideAsset(ports, assetId, { decision }, OPERATOR)).toMatchObject({
      status: to,
    });
    expect(ports.audit.records.at(-1)).toMatchObject({ action: `asset.${to}`, from, to });
  });

  it("releases the claims of a rejected asset, so another asset may take the entry", async () => {
    const owner = await withStatus("approved");
    const { assetId } = await registerAsset(ports, owner, asset(["E-1"]), OPERATOR);
    await decideAsset(ports, assetId, { decision: "reject" }, OPERATOR);
    expect(await codeOf(decideAsset(ports, assetId, { decision: "qualify" }, OPERATOR))).toBe(
      "DECISION_NOT_ALLOWED",
    );
    const again = await registerAsset(ports, owner, asset(["E-1"]), OPERATOR);
    expect((await ports.claims.claimOf("ANM-1", "E-1"))?.assetId).toBe(again.assetId);
  });

  it("R-ELIG-1: only qualified assets of approved participants give claims, with their windows", async () => {
    const approved = await withStatus("approved");
    const suspended = await withStatus("approved");
    const qualified = await registerAsset(ports, approved, asset(["E-1"]), OPERATOR);
    await decideAsset(ports, qualified.assetId, { decision: "qualify" }, OPERATOR);
    await registerAsset(ports, approved, asset(["E-2"]), OPERATOR); // pending
    const ofSuspended = await registerAsset(ports, suspended, asset(["E-3"]), OPERATOR);
    await decideAsset(ports, ofSuspended.assetId, { decision: "qualify" }, OPERATOR);
    await decideParticipant(ports, suspended, { decision: "suspend" }, OPERATOR);

    expect(await eligibleClaimsOfScheme(ports, "ANM-1")).toEqual([
      {
        entryId: "E-1",
        participantId: approved,
        assetId: qualified.assetId,
        flexibleServiceWindows: [
          {
            startMs: Date.parse("2027-06-14T16:00:00+01:00"),
            endMs: Date.parse("2027-06-14T19:00:00+01:00"),
          },
        ],
      },
    ]);
    // Ownership (404 vs 422 on an order) counts every asset that is not rejected.
    expect(await entryOwner(ports, "ANM-1", "E-2")).toBe(approved);
    expect(await entryOwner(ports, "ANM-1", "E-9")).toBeUndefined();
  });

  it("shows a participant its own assets only; the operator sees every asset", async () => {
    const a = await withStatus("approved");
    const b = await withStatus("approved");
    const ofA = await registerAsset(ports, a, asset(["E-1"]), OPERATOR);
    await registerAsset(ports, b, asset(["E-2"]), OPERATOR);
    const callerA = { role: "participant", principalId: a } as const;
    const callerB = { role: "participant", principalId: b } as const;
    expect((await getAsset(ports, callerA, ofA.assetId)).assetId).toBe(ofA.assetId);
    expect(await codeOf(getAsset(ports, callerB, ofA.assetId))).toBe("NOT_FOUND");
    expect((await listAssets(ports, callerA, {})).items.map((x) => x.participantId)).toEqual([a]);
    expect(
      (await listAssets(ports, { role: "operator", principalId: "operator" }, {})).items,
    ).toHaveLength(2);
    expect((await listAuditRecords(ports, ofA.assetId, {})).items.map((r) => r.action)).toEqual([
      "asset.registered",
    ]);
  });
});

describe("authenticating a presented key (R-AUTH, D-22)", () => {
  it("accepts an active key of an approved participant, and refuses it once suspended", async () => {
    const { participantId, claimSecret } = await registered();
    await decideParticipant(ports, participantId, { decision: "approve" }, OPERATOR);
    const { apiKey } = await claimApiKey(ports, participantId, claimSecret, ANONYMOUS);
    expect(await authenticate(ports, apiKey)).toEqual({
      caller: {
        role: "participant",
        principalId: participantId,
        keyId: keyIdOf(ports.credentials.hashApiKey(apiKey)),
      },
    });
    await decideParticipant(ports, participantId, { decision: "suspend" }, OPERATOR);
    expect(await authenticate(ports, apiKey)).toEqual({ refused: "participant not approved" });
  });

  it.each([
    [undefined, "missing key"],
    ["btr_never-issued", "unknown key"],
    ["btr_revoked", "revoked key"],
  ] as const)("refuses %s: %s", async (key, reason) => {
    ports.apiKeys.put({
      ...newKeyRecord(ports.credentials.hashApiKey("btr_revoked"), {
        role: "anm",
        principalId: "anm",
        createdAt: "2027-06-01T00:00:00.000Z",
      }),
      status: "revoked",
    });
    expect(await authenticate(ports, key)).toEqual({ refused: reason });
  });
});

describe("rotateOwnKey (D-198)", () => {
  it("is 409 KEY_NOT_CURRENT when the key that asked is not the participant's own any more", async () => {
    const ports = fakePorts();
    const { participant } = await registerParticipant(ports, registration, ANONYMOUS);
    const { participantId } = participant;
    const caller = { role: "participant" as const, principalId: participantId, keyId: "key-gone" };
    const actor: Actor = { role: "participant", principalId: participantId };
    await expect(rotateOwnKey(ports, caller, actor)).rejects.toMatchObject({
      code: "KEY_NOT_CURRENT",
    });
  });
});
