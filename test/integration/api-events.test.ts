import { get as httpGet } from "node:http";
import {
  APIGatewayProxyEventSchema,
  APIGatewayRequestAuthorizerEventSchema,
} from "@aws-lambda-powertools/parser/schemas";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "../../functions/adapters/credentials";
import { keyIdOf, newKeyRecord } from "../../functions/core/access/api-key";
import type { Route } from "../../functions/http/routes";
import { authorizerEvent } from "../../lib/local/api-server";
import { useLocalStack } from "../support/use-local-stack";

/**
 * The local API server in this process, with test routes that echo the event they receive:
 * every event it builds must be one API Gateway could send (Powertools' REST v1 schema), and the
 * authorizer must answer 401/403 as API Gateway would.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const echo = "test/fixtures/handlers/echo-event.ts";
const extraRoutes: Route[] = [
  { id: "GetEcho", method: "GET", path: "/test/echo/{id}", roles: "none", entry: echo, grants: {} },
  { id: "PostEcho", method: "POST", path: "/test/echo", roles: "none", entry: echo, grants: {} },
  {
    id: "GetOperatorEcho",
    method: "GET",
    path: "/test/operator",
    roles: ["operator"],
    entry: echo,
    grants: {},
  },
  {
    id: "GetAnmOrOperatorEcho",
    method: "GET",
    path: "/test/anm-or-operator/{id}",
    roles: ["anm", "operator"],
    entry: echo,
    grants: {},
  },
  {
    id: "GetFailure",
    method: "GET",
    path: "/test/failure",
    roles: "none",
    entry: "test/fixtures/handlers/fail-inside-middleware.ts",
    grants: {},
  },
];

const OPERATOR = "btr_events-operator-key-0123456789abcdefghijklmnop";
const ANM = "btr_events-anm-key-0123456789abcdefghijklmnopqrstu";
const PARTICIPANT = "btr_events-participant-key-0123456789abcdefghijkl";
const REVOKED = "btr_events-revoked-key-0123456789abcdefghijklmnopq";

const local = useLocalStack({ operatorKey: OPERATOR, anmKey: ANM, extraRoutes });
const events: APIGatewayProxyEvent[] = [];

beforeAll(async () => {
  const { deps } = await import("../../functions/runtime/deps");
  const createdAt = new Date().toISOString();
  const actor = { role: "operator", principalId: "operator" } as const;
  await deps.apiKeys.issue(
    newKeyRecord(hashApiKey(PARTICIPANT), {
      role: "participant",
      principalId: "P-0001",
      createdAt,
    }),
    { subject: "P-0001", action: "test.key", actor, at: createdAt },
  );
  // A participant's key works only while the participant is approved (R-AUTH).
  await deps.participants.register({
    participantId: "P-0001",
    registration: {
      organisation: {
        legalName: "Events Ltd",
        companyNumber: "01234567",
        registeredAddress: "1 Road",
      },
      contact: { name: "A Person", email: "a@example.com" },
    },
    claimSecretHash: "scrypt$unused",
    at: createdAt,
    actor,
  });
  await deps.participants.changeStatus("P-0001", {
    from: "pending",
    to: "approved",
    action: "participant.approved",
    at: createdAt,
    actor,
  });
  await deps.apiKeys.issue(
    {
      ...newKeyRecord(hashApiKey(REVOKED), {
        role: "participant",
        principalId: "P-0002",
        createdAt,
      }),
      status: "revoked",
    },
    { subject: "P-0002", action: "test.key", actor, at: createdAt },
  );
});

async function call(path: string, init: RequestInit = {}) {
  const response = await fetch(`${local.stack.url}${path}`, init);
  const text = await response.text();
  const body = text === "" ? undefined : JSON.parse(text);
  if (response.status === 200 && body?.requestContext) events.push(body);
  return { status: response.status, type: response.headers.get("content-type"), body };
}

describe("the events the local API server builds", () => {
  it("keep the client's header casing, repeated headers and repeated query parameters", async () => {
    // node:http sends an array value as repeated header lines (fetch would join them).
    const body = await new Promise<APIGatewayProxyEvent>((resolve, reject) => {
      const request = httpGet(
        `${local.stack.url}/test/echo/A%20B-1?side=buy&side=sell&limit=5`,
        { headers: { "X-Custom-Case": "Kept", "x-multi": ["1", "2"] } },
        (response) => {
          let text = "";
          response.setEncoding("utf8").on("data", (chunk: string) => {
            text += chunk;
          });
          response.on("end", () => resolve(JSON.parse(text)));
        },
      );
      request.on("error", reject);
    });
    events.push(body);
    expect(body.resource).toBe("/test/echo/{id}");
    expect(body.path).toBe("/test/echo/A%20B-1");
    expect(body.pathParameters).toEqual({ id: "A B-1" });
    expect(body.headers["X-Custom-Case"]).toBe("Kept");
    expect(body.headers["x-custom-case"]).toBeUndefined();
    expect(body.multiValueHeaders["x-multi"]).toEqual(["1", "2"]);
    expect(body.headers["x-multi"]).toBe("2");
    expect(body.queryStringParameters).toEqual({ side: "sell", limit: "5" });
    expect(body.multiValueQueryStringParameters).toEqual({ side: ["buy", "sell"], limit: ["5"] });
    expect(body.headers["X-Forwarded-Proto"]).toBe("http");
    expect(body.requestContext.resourcePath).toBe("/test/echo/{id}");
    expect(body.requestContext.authorizer).toBeNull();
  });

  it("carry a JSON body as text", async () => {
    const payload = JSON.stringify({ quantityMw: 1.5, side: "buy" });
    const { body } = await call("/test/echo", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: payload,
    });
    expect(body.body).toBe(payload);
    expect(body.isBase64Encoded).toBe(false);
    expect(body.queryStringParameters).toBeNull();
    expect(body.pathParameters).toBeNull();
  });

  it("carry a binary body as base64", async () => {
    const bytes = Buffer.from([0, 1, 2, 254, 255]);
    const { body } = await call("/test/echo", {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: bytes,
    });
    expect(body.isBase64Encoded).toBe(true);
    expect(Buffer.from(body.body, "base64")).toEqual(bytes);
  });

  it("carry the authorizer's identity to the handler", async () => {
    const { status, body } = await call("/test/operator", { headers: { "x-api-key": OPERATOR } });
    expect(status).toBe(200);
    expect(body.requestContext.authorizer).toMatchObject({
      principalId: "operator",
      role: "operator",
      integrationLatency: expect.any(Number),
    });
  });

  it("all match Powertools' API Gateway REST event schema, and so do the authorizer's", async () => {
    await call("/test/anm-or-operator/X?x=1", { headers: { "X-API-KEY": ANM } });
    expect(events.length).toBeGreaterThanOrEqual(5);
    for (const event of events) {
      expect(APIGatewayProxyEventSchema.safeParse(event).error).toBeUndefined();
      expect(
        APIGatewayRequestAuthorizerEventSchema.safeParse(authorizerEvent(event)).error,
      ).toBeUndefined();
    }
  });
});

describe("the authorizer, as the local API server runs it", () => {
  it.each([
    ["no key", "/test/operator", {}, 401, "UNAUTHENTICATED"],
    ["an unknown key", "/test/operator", { "x-api-key": "btr_nobody" }, 401, "UNAUTHENTICATED"],
    ["a revoked key", "/whoami", { "x-api-key": REVOKED }, 401, "UNAUTHENTICATED"],
    ["the ANM key on an operator route", "/test/operator", { "x-api-key": ANM }, 403, "FORBIDDEN"],
    [
      "a participant key on an ANM/operator route",
      "/test/anm-or-operator/1",
      { "x-api-key": PARTICIPANT },
      403,
      "FORBIDDEN",
    ],
  ])("refuses %s (%s) with %i %s", async (_, path, headers, status, code) => {
    const response = await call(path, { headers });
    expect(response.status).toBe(status);
    expect(response.type).toBe("application/problem+json");
    expect(response.body).toMatchObject({ status, code });
  });

  it.each([
    ["the operator", OPERATOR, "operator"],
    ["ANM", ANM, "anm"],
  ])("lets %s call a route open to ANM and the operator", async (_, key, role) => {
    const { status, body } = await call("/test/anm-or-operator/7", {
      headers: { "x-api-key": key },
    });
    expect(status).toBe(200);
    expect(body.requestContext.authorizer.role).toBe(role);
  });

  it("tells a participant who it is", async () => {
    const { status, body } = await call("/whoami", { headers: { "x-api-key": PARTICIPANT } });
    expect(status).toBe(200);
    // D-196: the key's id, never the key.
    expect(body).toEqual({
      role: "participant",
      principalId: "P-0001",
      keyId: keyIdOf(hashApiKey(PARTICIPANT)),
    });
  });
});

describe("what API Gateway itself answers", () => {
  it("answers a route with another method as an unknown route (404)", async () => {
    expect(await call("/health", { method: "DELETE" })).toMatchObject({
      status: 404,
      body: { code: "ROUTE_NOT_FOUND" },
    });
  });

  it("refuses a body over 10 MB with 413", async () => {
    const response = await call("/test/echo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 32),
    });
    expect(response).toMatchObject({ status: 413, body: { code: "PAYLOAD_TOO_LARGE" } });
  });

  it("hides a handler's internal failure behind 500 INTERNAL_ERROR, no AWS text", async () => {
    const response = await call("/test/failure");
    expect(response.status).toBe(500);
    expect(response.type).toBe("application/problem+json");
    expect(response.body).toMatchObject({ code: "INTERNAL_ERROR" });
    expect(JSON.stringify(response.body)).not.toMatch(/arn:|AccessDenied|dynamodb/);
  });
});
