import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { ROLES } from "../../../functions/core/access/roles";
import { buildOpenApiDocument } from "../../../functions/http/openapi/document";
import { ROUTES } from "../../../functions/http/routes";

describe("the OpenAPI document", () => {
  const document = buildOpenApiDocument();

  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(structuredClone(document) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
  });

  it.each(ROUTES.map((route) => [route.id, route] as const))(
    "documents %s with its roles and errors",
    (id, route) => {
      const operation = document.paths?.[route.path]?.[route.method.toLowerCase() as "get"];
      expect(operation?.operationId).toBe(id);
      expect(operation?.responses?.["500"]).toBeDefined();
      if (route.roles === "none") {
        expect(operation?.security).toEqual([]);
      } else {
        expect(operation?.security).toEqual([{ ApiKey: [] }]);
        expect(operation?.["x-bitrader-roles"]).toEqual(route.roles);
        const statuses = Object.keys(operation?.responses ?? {});
        expect(statuses).toContain("401");
        // 403 for a key of a role the route does not take; none when every role may call it.
        if (route.roles.length < ROLES.length) expect(statuses).toContain("403");
        else expect(statuses).not.toContain("403");
      }
    },
  );

  it("documents errors as problem+json with a stable code", () => {
    const problem = document.components?.schemas?.Problem as { required?: string[] };
    expect(problem.required).toEqual(
      expect.arrayContaining(["type", "title", "status", "code", "detail"]),
    );
  });
});
