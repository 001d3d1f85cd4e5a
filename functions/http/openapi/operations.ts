import type { ZodOpenApiOperationObject } from "zod-openapi";
import type { RouteId } from "../routes";
import { HealthSchema } from "../schemas/health";
import { WhoAmISchema } from "../schemas/who-am-i";
import { ACCESS_OPERATIONS } from "./access-operations";
import { MARKET_OPERATIONS } from "./market-operations";
import { POST_TRADE_OPERATIONS } from "./post-trade-operations";
import { SCHEME_OPERATIONS } from "./scheme-operations";
import { VERIFICATION_OPERATIONS } from "./verification-operations";
import { WEBHOOK_OPERATIONS } from "./webhook-operations";

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
  ...POST_TRADE_OPERATIONS,
  ...WEBHOOK_OPERATIONS,
  ...SCHEME_OPERATIONS,
  ...VERIFICATION_OPERATIONS,
  GetHealth: {
    summary: "Liveness and database check",
    tags: ["Health and documentation"],
    responses: {
      "200": {
        description: "The API and its database answer.",
        content: { "application/json": { schema: HealthSchema } },
      },
      "503": {
        description: "The database cannot be read (Retry-After says when to ask again).",
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
