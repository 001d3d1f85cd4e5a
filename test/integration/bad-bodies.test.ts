import { APIGatewayProxyEventSchema } from "@aws-lambda-powertools/parser/schemas";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { newKeyRecord } from "../../functions/core/access/api-key";
import { ROUTES, type Route } from "../../functions/http/routes";
import { lambdaContext } from "../../lib/local/lambda-context";
import { bodies, type FuzzTarget, type Json, tableItems } from "../support/body-fuzz";
import { propertyParams } from "../support/property";
import { leaksIn } from "../support/response-scan";
import { restEvent } from "../support/rest-event";
import { useLocalStack } from "../support/use-local-stack";

/**
 * reliability.md BI for the write routes of the access API: ≥ 10,000 generated bodies per route —
 * fc.json() and fc.anything() documents, and mutations of a valid body (wrong types, non-finite,
 * negative and over-precise numbers, unknown fields, oversized strings, missing required
 * fields, truncated JSON). Handlers run in-process on REST v1 events against DynamoDB Local.
 * Never a 5xx; every 400 names its fields; no stored change from a refused body (the table is
 * compared item by item before and after each route's run); no leak in any answer.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const RUNS = Number(process.env.BI_RUNS ?? 10_000);

type Handler = (event: APIGatewayProxyEvent, context: unknown) => Promise<APIGatewayProxyResult>;

const local = useLocalStack();
const handlers: Record<string, Handler> = {};
const route = (id: string) => ROUTES.find((r) => r.id === id) as Route;

interface Target extends FuzzTarget {
  readonly id: string;
  readonly pathParameters?: Record<string, string>;
  readonly caller?: { role: "participant" | "operator"; principalId: string };
  /** The id a 2xx answer created or changed. */
  readonly acceptedId: (body: Record<string, unknown>) => string;
}
const targets: Target[] = [];

beforeAll(async () => {
  for (const id of [
    "CreateRegistration",
    "DecideParticipant",
    "ClaimApiKey",
    "CreateAsset",
    "DecideAsset",
  ]) {
    const module = (await import(`../../${route(id).entry.replace(/\.ts$/, "")}`)) as {
      handler: Handler;
    };
    handlers[id] = module.handler;
  }
  const { deps } = await import("../../functions/runtime/deps");
  const { cryptoCredentials, hashApiKey, generateApiKey } = await import(
    "../../functions/adapters/credentials"
  );
  const { hashClaimSecret, newClaimSecret: generateClaimSecret } = cryptoCredentials;
  const at = new Date().toISOString();
  const actor = { role: "operator", principalId: "operator" } as const;
  const registration = {
    organisation: {
      legalName: "Fuzz Energy Ltd",
      companyNumber: "SC123456",
      registeredAddress: "2 Solar Street, Glasgow G1 1AA",
      vatNumber: "GB123456789",
    },
    contact: { name: "Grace Hopper", email: "grace@example.com", phone: "+44 141 496 0000" },
  };
  const participant = async (id: string, secret = generateClaimSecret()) => {
    await deps.participants.register({
      participantId: id,
      registration,
      claimSecretHash: await hashClaimSecret(secret),
      at,
      actor,
    });
    return secret;
  };
  const approve = (id: string) =>
    deps.participants.changeStatus(id, {
      from: "pending",
      to: "approved",
      action: "participant.approved",
      at,
      actor,
    });
  // The asset owner (approved), a rejected participant (every decision is refused), and one whose
  // key was claimed (every claim is refused): a valid-looking body can change nothing there.
  const owner = "par-00000000000000000001";
  await participant(owner);
  await approve(owner);
  const rejected = "par-00000000000000000002";
  await participant(rejected);
  await deps.participants.changeStatus(rejected, {
    from: "pending",
    to: "rejected",
    action: "participant.rejected",
    at,
    actor,
  });
  const claimed = "par-00000000000000000003";
  const secret = await participant(claimed);
  await approve(claimed);
  await deps.participants.claimApiKey({
    participantId: claimed,
    key: newKeyRecord(hashApiKey(generateApiKey()), {
      role: "participant",
      principalId: claimed,
      createdAt: at,
    }),
    at,
    actor,
  });
  const assetBody = {
    name: "Fuzz wind farm",
    assetType: "group" as const,
    technology: "wind",
    exportCapacityMw: 9.999,
    importCapacityMw: 0.5,
    connectionVoltageKv: 33,
    exportMpan: "1200023305967",
    importMpan: "1200023305967",
    postcode: "G1 1AA",
    anmSchemeId: "FUZZ-ANM",
    molEntryIds: ["F-1", "F-2"],
    flexibleServiceContracts: [
      { contractId: "FS-1", start: "2027-06-14T16:00:00Z", end: "2027-06-14T19:00:00Z" },
    ],
  };
  // The base asset body's entries are held, so a still-valid mutation gets 409 and stores nothing.
  await deps.assets.register({
    assetId: "ast-00000000000000000001",
    participantId: owner,
    registration: assetBody,
    at,
    actor: { role: "participant", principalId: owner },
  });
  const rejectedAsset = await deps.assets.register({
    assetId: "ast-00000000000000000002",
    participantId: owner,
    registration: { ...assetBody, molEntryIds: ["F-3"] },
    at,
    actor: { role: "participant", principalId: owner },
  });
  await deps.assets.changeStatus(rejectedAsset, {
    from: rejectedAsset.status,
    to: "rejected",
    action: "asset.rejected",
    at,
    actor,
  });

  targets.push(
    {
      id: "CreateRegistration",
      base: registration,
      required: [
        "organisation",
        "contact",
        "organisation.legalName",
        "organisation.companyNumber",
        "organisation.registeredAddress",
        "contact.name",
        "contact.email",
      ],
      valid: fc
        .record({
          name: fc.stringMatching(/^[A-Za-z0-9 ]{1,40}$/),
          vat: fc.boolean(),
          phone: fc.boolean(),
        })
        .filter(({ name }) => name.trim() !== "")
        .map(({ name, vat, phone }) => {
          const { vatNumber, ...organisation } = registration.organisation;
          const { phone: phoneNumber, ...contact } = registration.contact;
          return {
            organisation: { ...organisation, legalName: name, ...(vat ? { vatNumber } : {}) },
            contact: { ...contact, ...(phone ? { phone: phoneNumber } : {}) },
          };
        }),
      validWeight: 1,
      acceptedId: (body) => String(body.participantId),
    },
    {
      id: "DecideParticipant",
      base: { decision: "approve", reason: "documents checked" },
      required: ["decision"],
      pathParameters: { participantId: rejected },
      valid: decisions(["approve", "reject", "suspend"]),
      validWeight: 40,
      caller: { role: "operator", principalId: "operator" },
      acceptedId: (body) => String(body.participantId),
    },
    {
      id: "ClaimApiKey",
      base: { claimSecret: secret },
      required: ["claimSecret"],
      pathParameters: { participantId: claimed },
      valid: fc.oneof(
        fc.constant({ claimSecret: secret }),
        fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((s) => ({ claimSecret: `cls_${s}` })),
      ),
      validWeight: 4,
      acceptedId: () => claimed,
    },
    {
      id: "CreateAsset",
      base: assetBody,
      required: [
        "name",
        "assetType",
        "technology",
        "exportCapacityMw",
        "connectionVoltageKv",
        "postcode",
        "anmSchemeId",
        "molEntryIds",
        "flexibleServiceContracts.0.contractId",
        "flexibleServiceContracts.0.start",
        "flexibleServiceContracts.0.end",
      ],
      caller: { role: "participant", principalId: owner },
      valid: fc
        .subarray([
          "importCapacityMw",
          "exportMpan",
          "importMpan",
          "flexibleServiceContracts",
        ] as const)
        .map((drop) => {
          const body: Record<string, Json> = { ...assetBody };
          for (const field of drop) delete body[field];
          return body;
        }),
      validWeight: 40,
      acceptedId: (body) => String(body.assetId),
    },
    {
      id: "DecideAsset",
      base: { decision: "qualify", reason: "meter checked" },
      required: ["decision"],
      pathParameters: { assetId: rejectedAsset.assetId },
      valid: decisions(["qualify", "reject"]),
      validWeight: 40,
      caller: { role: "operator", principalId: "operator" },
      acceptedId: (body) => String(body.assetId),
    },
  );
}, 120_000);

// ---- body generators ----------------------------------------------------------------------

function decisions(values: string[]): fc.Arbitrary<Json> {
  return fc
    .record({
      decision: fc.constantFrom(...values),
      reason: fc.option(fc.stringMatching(/^[a-z ]{1,20}$/)),
    })
    .filter(({ reason }) => reason === null || reason.trim() !== "")
    .map(({ decision, reason }): Json => (reason === null ? { decision } : { decision, reason }));
}

// ---- the property -------------------------------------------------------------------------

async function send(target: Target, text: string | null, headers: Record<string, string> = {}) {
  const event = restEvent({
    route: route(target.id),
    body: text,
    headers,
    ...(target.pathParameters ? { pathParameters: target.pathParameters } : {}),
    ...(target.caller ? { caller: target.caller } : {}),
  });
  return handlers[target.id]!(event, lambdaContext(target.id));
}

describe("bad bodies at every write route of the access API", () => {
  it("builds events API Gateway could send", () => {
    for (const target of targets) {
      const event = restEvent({
        route: route(target.id),
        body: "{}",
        ...(target.caller ? { caller: target.caller } : {}),
      });
      expect(APIGatewayProxyEventSchema.safeParse(event).success).toBe(true);
    }
  });

  it.each(["CreateRegistration", "DecideParticipant", "ClaimApiKey", "CreateAsset", "DecideAsset"])(
    "%s: ≥ 10,000 generated bodies, never a 5xx, every 400 names its fields, nothing stored from a refused body",
    async (id) => {
      const target = targets.find((t) => t.id === id)!;
      const before = await tableItems(local.stack.tableName);
      const accepted = new Set<string>();
      const statuses = new Map<string, number>();
      const kinds = new Map<string, number>();
      const started = performance.now();
      await fc.assert(
        fc.asyncProperty(bodies(target), async ({ kind: bodyKind, text }) => {
          kinds.set(bodyKind, (kinds.get(bodyKind) ?? 0) + 1);
          const response = await send(target, text);
          const body = JSON.parse(response.body ?? "null");
          statuses.set(
            `${response.statusCode} ${body?.code ?? ""}`,
            (statuses.get(`${response.statusCode} ${body?.code ?? ""}`) ?? 0) + 1,
          );
          expect(response.statusCode).toBeLessThan(500);
          expect(leaksIn(response.body ?? "", [], text)).toEqual([]);
          if (response.statusCode >= 200 && response.statusCode < 300) {
            accepted.add(target.acceptedId(body));
            return;
          }
          expect([400, 404, 409, 413, 422]).toContain(response.statusCode);
          expect(response.headers?.["content-type"]).toBe("application/problem+json");
          if (response.statusCode === 400) {
            expect(["MALFORMED_JSON", "VALIDATION_FAILED"]).toContain(body.code);
            expect(body.errors.length).toBeGreaterThan(0);
            for (const error of body.errors) {
              expect(typeof error.path).toBe("string");
              expect(error.path.length).toBeGreaterThan(0);
              expect(typeof error.message).toBe("string");
            }
          }
        }),
        propertyParams(`BI ${id}`, RUNS),
      );
      const ms = performance.now() - started;
      const after = await tableItems(local.stack.tableName);
      const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
        (k) => before.get(k) !== after.get(k),
      );
      // D-150's registration counter counts valid registrations: it changes with accepted ones.
      const unexplained = changed.filter(
        (k) =>
          !(accepted.size > 0 && k.startsWith("RATE#registrations#")) &&
          ![...accepted].some((a) => `${k}${after.get(k) ?? before.get(k)}`.includes(a)),
      );
      process.stdout.write(
        `[BI] ${id}: ${RUNS} bodies in ${(ms / 1000).toFixed(1)} s (${((ms * 1000) / RUNS).toFixed(0)} µs each); accepted ${accepted.size}; ` +
          `${JSON.stringify(Object.fromEntries(statuses))}; kinds ${JSON.stringify(Object.fromEntries(kinds))}\n`,
      );
      expect(unexplained).toEqual([]);
      if (accepted.size === 0) expect(changed).toEqual([]);
    },
    300_000,
  );

  it.each(["CreateRegistration", "DecideParticipant", "ClaimApiKey", "CreateAsset", "DecideAsset"])(
    "%s: over 1 MiB is 413, a non-JSON media type 415, no body 400, storing nothing",
    async (id) => {
      const target = targets.find((t) => t.id === id)!;
      const before = await tableItems(local.stack.tableName);
      const big = JSON.stringify({ ...target.base, padding: "x".repeat(1024 * 1024) });
      const cases: Array<[string | null, Record<string, string>, number, string]> = [
        [big, {}, 413, "PAYLOAD_TOO_LARGE"],
        [
          JSON.stringify(target.base),
          { "Content-Type": "text/plain" },
          415,
          "UNSUPPORTED_MEDIA_TYPE",
        ],
        [null, {}, 400, "MALFORMED_JSON"],
        ["", {}, 400, "MALFORMED_JSON"],
      ];
      for (const [text, headers, status, code] of cases) {
        const response = await send(target, text, headers);
        expect({ status: response.statusCode, code: JSON.parse(response.body).code }).toEqual({
          status,
          code,
        });
      }
      expect(await tableItems(local.stack.tableName)).toEqual(before);
    },
  );
});
