import { beforeAll, describe, expect, it } from "vitest";
import { ROUTES } from "../../functions/http/routes";
import { type AccessWorld, CALLERS, createAccessWorld } from "../support/access-world";
import { leaksIn } from "../support/response-scan";
import { ROUTE_ACCESS } from "../support/route-access";
import { useLocalStack } from "../support/use-local-stack";

/**
 * reliability.md AZ: roles (none, unknown key, suspended, participant A, participant B, ANM,
 * operator) × every route of ROUTES × object owner (A owns), against the local stack over HTTP.
 * The expectations are data: test/support/route-access.ts.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";

const local = useLocalStack();
let world: AccessWorld;

beforeAll(async () => {
  world = await createAccessWorld(local.stack.url, local.stack.keys.operator, local.stack.keys.anm);
});

describe("the authorization matrix", () => {
  it("has a row for every route of ROUTES, and no row for a route that does not exist", () => {
    const ids = ROUTES.map((route) => route.id as string);
    expect(ids.filter((id) => ROUTE_ACCESS[id] === undefined)).toEqual([]);
    expect(Object.keys(ROUTE_ACCESS).filter((id) => !ids.includes(id))).toEqual([]);
  });

  const cells = ROUTES.flatMap((route) =>
    CALLERS.map((caller) => [route.id, caller, route] as const),
  );

  it.each(cells)("%s as %s", async (id, caller, route) => {
    const row = ROUTE_ACCESS[id];
    if (row === undefined) return; // reported by the test above
    const expected = row.expect[caller];
    const request = await row.request(world, caller);
    const answer = await world.call(route.method, request.path, {
      key: request.key ?? world.keys[caller],
      ...(request.query ? { query: request.query } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(request.rawBody !== undefined ? { rawBody: request.rawBody } : {}),
      ...(request.headers !== undefined ? { headers: request.headers } : {}),
    });
    if (expected === "allowed") {
      expect([401, 403, 404]).not.toContain(answer.status);
      expect(answer.status).toBeLessThan(500);
    } else {
      expect({
        status: answer.status,
        body: answer.status === expected ? undefined : answer.text,
      }).toEqual({
        status: expected,
        body: undefined,
      });
    }
    if (answer.status >= 400) {
      expect(answer.contentType).toBe("application/problem+json");
      expect(answer.body).toMatchObject({
        status: answer.status,
        code: expect.stringMatching(/^[A-Z_]+$/),
      });
    } else {
      row.check?.(world, caller, answer);
    }
    expect(leaksIn(answer.text)).toEqual([]);
  });
});
