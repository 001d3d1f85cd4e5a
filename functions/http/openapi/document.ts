import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from "zod-openapi";
import { ROLES } from "../../core/access/roles";
import { ERROR_STATUS, STATUS_TITLE } from "../error-status";
import { PROBLEM_CONTENT_TYPE } from "../problem";
import { isProtected, ROUTES, type Route, type RouteId } from "../routes";
import { ProblemSchema } from "../schemas/problem";
import { ERROR_MEANINGS } from "./error-meanings";
import { OPERATIONS, type RouteContract } from "./operations";
import { webhookDocs } from "./webhook-operations";

type OpenApiDocument = ReturnType<typeof createDocument>;

const API_KEY_SCHEME = "ApiKey";

/** Extension naming the stable `code`s an error response of an operation can carry. */
export const CODES_EXTENSION = "x-bitrader-codes";

/**
 * The error codes a route can answer besides its own (`RouteContract.errors`), from its shape:
 * a key (401, 403), a body (400 MALFORMED_JSON/VALIDATION_FAILED, 413, 415), query parameters (400),
 * path parameters (404: an id that cannot be one is unknown, D-143), an Idempotency-Key header (422 reuse, 409 in progress), the table
 * (503 after the retries), and for every route API Gateway's throttle (429) and the hidden 500.
 */
export function genericErrorCodes(route: Route, contract: RouteContract): string[] {
  const params = contract.requestParams ?? {};
  const codes = new Set<string>();
  if (isProtected(route)) {
    codes.add("UNAUTHENTICATED");
    // A key of a role the route does not take; a route every role may call never answers it.
    if (route.roles !== "none" && route.roles.length < ROLES.length) codes.add("FORBIDDEN");
  }
  if (contract.requestBody !== undefined) {
    // A body taken only as CSV (POST /assets:bulk) is never parsed as JSON.
    const types = Object.keys(
      (contract.requestBody as { content?: Record<string, unknown> }).content ?? {},
    );
    if (types.length === 0 || types.some((type) => type.includes("json")))
      codes.add("MALFORMED_JSON");
    codes.add("VALIDATION_FAILED").add("PAYLOAD_TOO_LARGE").add("UNSUPPORTED_MEDIA_TYPE");
  }
  if (params.query !== undefined) codes.add("VALIDATION_FAILED");
  // A PUT to a path creates or replaces what it names: never unknown.
  if (params.path !== undefined && route.method !== "PUT") codes.add("NOT_FOUND");
  // The gateway's malformed request (bad %-encoding, reserved names, D-144), on any route.
  codes.add("BAD_REQUEST");
  const header = params.header as { shape?: Record<string, unknown> } | undefined;
  if (header?.shape !== undefined && "idempotency-key" in header.shape)
    codes.add("IDEMPOTENCY_KEY_REUSED").add("IDEMPOTENCY_IN_PROGRESS");
  if (route.grants.table !== undefined) codes.add("TEMPORARILY_UNAVAILABLE");
  codes.add("TOO_MANY_REQUESTS").add("INTERNAL_ERROR");
  return [...codes];
}

/** Every error code a route can answer, grouped by status (ascending), codes sorted. */
export function errorCodesByStatus(route: Route, contract: RouteContract): Map<number, string[]> {
  const all = new Set([...genericErrorCodes(route, contract), ...(contract.errors ?? [])]);
  const byStatus = new Map<number, string[]>();
  for (const code of [...all].sort()) {
    const status = ERROR_STATUS[code];
    if (status === undefined) throw new Error(`${route.id}: error code ${code} has no status`);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

function errorResponse(codes: readonly string[], status: number): ZodOpenApiResponseObject {
  const lines = codes.map((code) => {
    const meaning = ERROR_MEANINGS[code];
    if (meaning === undefined) throw new Error(`error code ${code} has no meaning`);
    return `- \`${code}\`: ${meaning}.`;
  });
  return {
    description: `${STATUS_TITLE[status] ?? "Error"} (application/problem+json):\n${lines.join("\n")}`,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
    [CODES_EXTENSION]: codes,
  };
}

function operation(route: Route): ZodOpenApiOperationObject {
  const { errors: _errors, ...contract } = OPERATIONS[route.id as RouteId];
  const roles = isProtected(route) ? route.roles : [];
  const errorResponses = Object.fromEntries(
    [...errorCodesByStatus(route, OPERATIONS[route.id as RouteId])].map(([status, codes]) => [
      String(status),
      errorResponse(codes, status),
    ]),
  );
  return {
    ...contract,
    operationId: route.id,
    "x-bitrader-roles": roles,
    ...(isProtected(route)
      ? {
          security: [{ [API_KEY_SCHEME]: [] }],
          description: [contract.description, `Roles: ${roles.join(", ")}.`]
            .filter(Boolean)
            .join("\n\n"),
        }
      : { security: [] }),
    responses: { ...contract.responses, ...errorResponses },
  };
}

/** The OpenAPI 3.1 document of the whole API, generated from ROUTES and the zod schemas. */
export function buildOpenApiDocument(routes: readonly Route[] = ROUTES): OpenApiDocument {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    paths[route.path] = {
      ...paths[route.path],
      [route.method.toLowerCase()]: operation(route),
    };
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "BiTraDER API",
      version: "1.0.0",
      description: [
        "Bilateral trading of curtailment obligations between generators on flexible connections (the BiTraDER model).",
        "Conventions (docs/api.md): JSON bodies with camelCase fields; errors are application/problem+json with a stable `code`; unknown fields are refused; writes accept an Idempotency-Key header; lists return `{ items, nextToken? }` with `limit` ≤ 100. Power in MW with at most 3 decimals, prices in GBP with at most 2 (availability £/MW/h, utilisation £/MWh); instants ISO 8601 with an offset; per-SP arrays have one value per settlement period of the Europe/London delivery day (48, or 46/50 on clock-change days). Rules cited `R-…` are in docs/market-rules.md.",
      ].join("\n\n"),
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    paths,
    webhooks: webhookDocs(),
    components: {
      securitySchemes: {
        [API_KEY_SCHEME]: {
          type: "apiKey",
          in: "header",
          name: "x-api-key",
          description: "One key per participant; operator and ANM keys are issued by the operator.",
        },
      },
    },
  });
}
