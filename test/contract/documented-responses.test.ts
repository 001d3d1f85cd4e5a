import { describe, expect, it } from "vitest";
import { buildOpenApiDocument, CODES_EXTENSION } from "../../functions/http/openapi/document";
import { ROUTES } from "../../functions/http/routes";
import { observedResponses } from "../support/observed-responses";

/**
 * Documented = observed: every answer the suite's integration and browser tests received from
 * the local REST server (recorded by lib/local/observed-responses.ts) is documented for its route
 * in the OpenAPI document, with its status and, for an error, its stable code; and every code a
 * route documents was observed at least once — except the few no test over HTTP can provoke here,
 * each with where it is tested instead. Runs after the rest of `npm test` (vitest.config.ts).
 */
const NOT_OBSERVABLE_OVER_HTTP: Readonly<Record<string, string>> = {
  TOO_MANY_REQUESTS:
    "API Gateway's usage-plan throttle; the local server does not mimic it (infra tests check the plans)",
  INTERNAL_ERROR:
    "a hidden fault; test/unit/http/problem-errors.test.ts checks nothing of it leaks",
  TEMPORARILY_UNAVAILABLE:
    "DynamoDB Local never throttles or conflicts; test/unit/http/order-write-faults.test.ts and the adapter fault tests provoke it with aws-sdk-client-mock",
  TOO_MANY_REGISTRATIONS:
    "the local stack raises the per-address limit to 10,000 (every local client is 127.0.0.1, D-150); test/unit/core/access-use-cases.test.ts provokes it",
  KEY_NOT_CURRENT:
    "a race: the participant's key was rotated between the authorizer's check and this rotation; the use case's unit tests provoke it",
  IDEMPOTENCY_IN_PROGRESS:
    "a race between two requests under one key; the idempotency store's tests hold one in progress",
};

/**
 * Codes answered by one piece shared by every route that documents them (the idempotency
 * middleware, the gateway's malformed-request answer): observing each on one route is enough.
 */
const SHARED_CODES: Readonly<Record<string, string>> = {
  IDEMPOTENCY_KEY_REUSED:
    "functions/http/middleware/idempotent.ts, the same for every route with the header; test/integration/contract-coverage.test.ts provokes it on five routes",
  BAD_REQUEST:
    "the gateway's answer before any route runs (D-144); test/integration/day-ahead-integrity.test.ts provokes it",
};

type Documented = Map<string, Map<number, Set<string> | undefined>>;

function documented(): Documented {
  const document = buildOpenApiDocument() as unknown as {
    paths: Record<string, Record<string, { operationId: string; responses: Record<string, any> }>>;
  };
  const byRoute: Documented = new Map();
  for (const methods of Object.values(document.paths)) {
    for (const operation of Object.values(methods)) {
      const statuses = new Map<number, Set<string> | undefined>();
      for (const [status, response] of Object.entries(operation.responses)) {
        const codes = response[CODES_EXTENSION] as string[] | undefined;
        statuses.set(Number(status), codes ? new Set(codes) : undefined);
      }
      byRoute.set(operation.operationId, statuses);
    }
  }
  return byRoute;
}

describe("documented responses equal observed responses", () => {
  const observed = observedResponses();
  const docs = documented();

  it("the suite recorded what the local server answered", () => {
    expect(
      observed.length,
      "nothing recorded: run the whole suite (npm test); the contract group runs after it",
    ).toBeGreaterThan(1000);
  });

  it("every answer observed is documented for its route, with its status and code", () => {
    const undocumented = new Set<string>();
    // Routes of test fixtures (extra routes a test adds to its own stack) are not the API's.
    const apiRoutes = new Set<string>(ROUTES.map((r) => r.id));
    for (const { route, status, code } of observed) {
      if (!apiRoutes.has(route)) continue;
      const statuses = docs.get(route);
      if (statuses === undefined) {
        undocumented.add(`${route}: not in the OpenAPI document`);
        continue;
      }
      if (!statuses.has(status)) {
        undocumented.add(`${route} ${status}${code ? ` ${code}` : ""}: status not documented`);
        continue;
      }
      const codes = statuses.get(status);
      if (status >= 400 && code !== undefined && !codes?.has(code))
        undocumented.add(`${route} ${status} ${code}: code not documented`);
    }
    expect([...undocumented].sort()).toEqual([]);
  });

  it("every code each route documents was observed (but those no HTTP test can provoke here)", () => {
    const seen = new Set(observed.map((o) => `${o.route} ${o.status} ${o.code ?? ""}`.trim()));
    const seenStatus = new Set(observed.map((o) => `${o.route} ${o.status}`));
    const unobserved: string[] = [];
    for (const route of ROUTES) {
      for (const [status, codes] of docs.get(route.id) ?? []) {
        if (status < 400) {
          if (!seenStatus.has(`${route.id} ${status}`)) unobserved.push(`${route.id} ${status}`);
          continue;
        }
        for (const code of codes ?? []) {
          if (code in NOT_OBSERVABLE_OVER_HTTP) continue;
          if (code in SHARED_CODES) {
            if (!observed.some((o) => o.code === code)) unobserved.push(`${code} (on any route)`);
            continue;
          }
          if (!seen.has(`${route.id} ${status} ${code}`))
            unobserved.push(`${route.id} ${status} ${code}`);
        }
      }
    }
    expect(unobserved.sort()).toEqual([]);
  });
});
