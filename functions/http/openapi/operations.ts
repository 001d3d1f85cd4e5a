import type { ZodOpenApiOperationObject } from "zod-openapi";
import type { RouteId } from "../routes";
import { HealthSchema } from "../schemas/health";
import { WhoAmISchema } from "../schemas/who-am-i";
import { ACCESS_OPERATIONS } from "./access-operations";
import { MARKET_OPERATIONS } from "./market-operations";

/**
 * The documented contract of each route, keyed by route id: summary, parameters, body and
 * success responses from the zod schemas, and `errors`: the stable codes the route's use case
 * may refuse with. `document.ts` adds the codes every route of its shape can answer (a key, a
 * body, parameters, the table) and groups them by status. Typed against RouteId, so a route
 * without a contract does not compile; the contract test compares it with what the
 * integration tests observed.
 */
export type RouteContract = Omit<ZodOpenApiOperationObject, "operationId" | "security"> & {
  readonly errors?: readonly string[];
};

export const OPERATIONS: Record<RouteId, RouteContract> = {
  ...ACCESS_OPERATIONS,
  ...MARKET_OPERATIONS,
  GetHealth: {
    summary: "Liveness check",
    tags: ["Health and documentation"],
    responses: {
      "200": {
        description: "The API answers.",
        content: { "application/json": { schema: HealthSchema } },
      },
    },
  },
  GetOpenApi: {
    summary: "This OpenAPI 3.1 document",
    tags: ["Health and documentation"],
    responses: {
      "200": {
        description: "The OpenAPI document, generated from the zod schemas.",
        content: { "application/json": { schema: { type: "object" } } },
      },
    },
  },
  GetWhoAmI: {
    summary: "The role and identity of the presented key",
    tags: ["Keys"],
    responses: {
      "200": {
        description: "The key is valid.",
        content: { "application/json": { schema: WhoAmISchema } },
      },
    },
  },
};
