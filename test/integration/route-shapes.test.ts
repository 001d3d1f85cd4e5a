import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../../functions/http/openapi/operations";
import { isProtected, ROUTES, type Route } from "../../functions/http/routes";
import { onboard, type Trader } from "../../lib/client/api-client";
import { useLocalStack } from "../support/use-local-stack";

/**
 * What every route answers by its shape alone, whatever it does: a body that is not JSON,
 * is empty, carries an unknown field, is too large or is not declared JSON; a path id that
 * names nothing; a query parameter the route does not know. Each is a problem with a stable
 * code, and none changes anything (the bad-bodies test checks the table for the write routes).
 */
const local = useLocalStack();
let trader: Trader;

function keyFor(route: Route): string | undefined {
  if (!isProtected(route)) return undefined;
  const role = route.roles[0];
  if (role === "participant") return trader.apiKey;
  return role === "anm" ? local.stack.keys.anm : local.stack.keys.operator;
}

const pathOf = (route: Route) => route.path.replace(/\{[^}]+\}/g, "unknown-id-0000");
const withBody = ROUTES.filter((r) => OPERATIONS[r.id as keyof typeof OPERATIONS].requestBody);
/** Routes whose body is CSV only (POST /assets:bulk): never parsed as JSON. */
const csvOnly = (route: Route) => {
  const content = (
    OPERATIONS[route.id as keyof typeof OPERATIONS].requestBody as {
      content?: Record<string, unknown>;
    }
  ).content;
  return content !== undefined && !Object.keys(content).some((type) => type.includes("json"));
};
const withJsonBody = withBody.filter((r) => !csvOnly(r));
const withCsvBody = withBody.filter(csvOnly);
const withPath = ROUTES.filter((r) => r.path.includes("{"));
const withQuery = ROUTES.filter(
  (r) => OPERATIONS[r.id as keyof typeof OPERATIONS].requestParams?.query !== undefined,
);

async function send(route: Route, init: { body?: string | Buffer; type?: string; query?: string }) {
  const key = keyFor(route);
  const response = await fetch(`${local.stack.url}${pathOf(route)}${init.query ?? ""}`, {
    method: route.method,
    headers: {
      ...(key ? { "x-api-key": key } : {}),
      ...(init.type ? { "content-type": init.type } : {}),
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as { code?: string }) : {} };
}

describe("every route answers bad requests by its shape", () => {
  it("sets up a participant", async () => {
    trader = await onboard(local.api, local.stack.keys.operator, {
      name: "Shapes",
      anmSchemeId: "SHAPES-01",
      entryIds: ["SH-A"],
    });
  });

  describe.each(withCsvBody.map((r) => [r.id, r] as const))("%s (with a CSV body)", (_, route) => {
    it("refuses JSON, plain text or a body without a type: 415 UNSUPPORTED_MEDIA_TYPE", async () => {
      for (const init of [
        { body: "{}", type: "application/json" },
        { body: "a,b\n1,2\n", type: "text/plain" },
        { body: Buffer.from("a,b\n1,2\n") },
      ]) {
        const answer = await send(route, init);
        expect([answer.status, answer.body.code]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
      }
    });
    it("refuses an unknown column: 400 VALIDATION_FAILED", async () => {
      const answer = await send(route, { body: "surelyNotAColumn\n1\n", type: "text/csv" });
      expect([answer.status, answer.body.code]).toEqual([400, "VALIDATION_FAILED"]);
    });
    it("refuses a body over 1 MiB: 413 PAYLOAD_TOO_LARGE", async () => {
      const answer = await send(route, { body: "x".repeat(1024 * 1024 + 10), type: "text/csv" });
      expect([answer.status, answer.body.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
    });
  });

  describe.each(withJsonBody.map((r) => [r.id, r] as const))("%s (with a body)", (_, route) => {
    it("refuses a body that is not JSON: 400 MALFORMED_JSON", async () => {
      const answer = await send(route, { body: "{not json", type: "application/json" });
      expect([answer.status, answer.body.code]).toEqual([400, "MALFORMED_JSON"]);
    });
    it("refuses an unknown field: 400 VALIDATION_FAILED", async () => {
      const answer = await send(route, {
        body: JSON.stringify({ surelyNotAField: 1 }),
        type: "application/json",
      });
      expect([answer.status, answer.body.code]).toEqual([400, "VALIDATION_FAILED"]);
    });
    it("refuses a body over 1 MiB: 413 PAYLOAD_TOO_LARGE", async () => {
      const answer = await send(route, {
        body: JSON.stringify({ padding: "x".repeat(1024 * 1024 + 10) }),
        type: "application/json",
      });
      expect([answer.status, answer.body.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
    });
    it("refuses a body that is not declared JSON: 415 UNSUPPORTED_MEDIA_TYPE", async () => {
      const answer = await send(route, { body: "a=b", type: "application/x-www-form-urlencoded" });
      expect([answer.status, answer.body.code]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    });
  });

  describe.each(withPath.map((r) => [r.id, r] as const))("%s (with a path id)", (_, route) => {
    it("answers 404 NOT_FOUND for an id that names nothing", async () => {
      const hasBody = withBody.includes(route);
      const answer = await send(route, hasBody ? { body: "{}", type: "application/json" } : {});
      expect(answer.status === 404 || answer.status === 400).toBe(true);
      if (!hasBody) expect([answer.status, answer.body.code]).toEqual([404, "NOT_FOUND"]);
    });
  });

  describe.each(withQuery.map((r) => [r.id, r] as const))("%s (with a query)", (_, route) => {
    it("refuses a query parameter it does not know: 400 VALIDATION_FAILED", async () => {
      const answer = await send(route, { query: "?surelyNotAParameter=1" });
      expect([answer.status, answer.body.code]).toEqual([400, "VALIDATION_FAILED"]);
    });
  });
});
