import { describe, expect, it } from "vitest";
import { DomainError } from "../../../functions/core/errors";
import { corsHeaders, preflightHeaders } from "../../../functions/http/cors";
import { httpHandler } from "../../../functions/http/middleware/http-handler";
import { json } from "../../../functions/http/responses";
import { ROUTES } from "../../../functions/http/routes";
import { lambdaContext } from "../../../lib/local/lambda-context";
import { restEvent } from "../../support/rest-event";

/**
 * D-119: the route functions answer CORS for the console's origin (`CORS_ORIGIN`) only — on
 * answers and refusals alike — and give any other origin no `Access-Control-Allow-*` header.
 */
const CONSOLE = "https://d111111abcdef8.cloudfront.net";
process.env.CORS_ORIGIN = CONSOLE;
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const route = ROUTES.find((r) => r.id === "GetHealth")!;
const ok = httpHandler(async () => json(200, { status: "ok" }));
const refused = httpHandler(async () => {
  throw new DomainError("VALIDATION_FAILED", "no", [{ path: "x", message: "bad" }]);
});
const call = (handler: typeof ok, origin?: string) =>
  handler(
    restEvent({ route, ...(origin ? { headers: { Origin: origin } } : {}) }),
    lambdaContext("GetHealth"),
  );

describe("a route's answers carry CORS for the console's origin only", () => {
  it.each([
    ["an answer", ok, 200],
    ["a refusal", refused, 400],
  ] as const)("%s to the console's origin names it", async (_, handler, status) => {
    const answer = await call(handler, CONSOLE);
    expect(answer.statusCode).toBe(status);
    expect(answer.headers).toMatchObject({
      "access-control-allow-origin": CONSOLE,
      vary: "Origin",
    });
  });

  it.each([
    ["another origin", "https://evil.example"],
    ["the console's origin on another port", `${CONSOLE}:8443`],
    ["no origin", undefined],
  ])("%s gets no Access-Control-Allow-* header", async (_, origin) => {
    for (const handler of [ok, refused]) {
      const answer = await call(handler, origin);
      expect(
        Object.keys(answer.headers ?? {}).filter((h) => h.startsWith("access-control-")),
      ).toEqual([]);
    }
  });

  it("no console configured: nothing for anyone", () => {
    expect(corsHeaders(CONSOLE, undefined)).toEqual({});
    expect(preflightHeaders(CONSOLE, undefined, ["GET"])).toEqual({ vary: "Origin" });
  });

  it("a preflight names the resource's methods and the headers the console sends", () => {
    expect(preflightHeaders(CONSOLE, CONSOLE, ["GET", "POST"])).toEqual({
      "access-control-allow-origin": CONSOLE,
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": "content-type, idempotency-key, x-api-key",
      "access-control-max-age": "600",
      vary: "Origin",
    });
  });
});
