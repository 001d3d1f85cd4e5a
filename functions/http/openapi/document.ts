import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
} from "zod-openapi";
import { PROBLEM_CONTENT_TYPE } from "../problem";
import { isProtected, ROUTES, type Route, type RouteId } from "../routes";
import { ProblemSchema } from "../schemas/problem";
import { OPERATIONS } from "./operations";
import { webhookDocs } from "./webhook-operations";

type OpenApiDocument = ReturnType<typeof createDocument>;

const API_KEY_SCHEME = "ApiKey";

function problemResponse(description: string) {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } };
}

function operation(route: Route): ZodOpenApiOperationObject {
  const contract = OPERATIONS[route.id as RouteId];
  const roles = isProtected(route) ? route.roles : [];
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
    responses: {
      ...contract.responses,
      ...(isProtected(route)
        ? {
            "401": problemResponse("Missing or unknown API key (UNAUTHENTICATED)."),
            "403": problemResponse("The key's role may not call this route (FORBIDDEN)."),
          }
        : {}),
      "429": problemResponse("Throttled (TOO_MANY_REQUESTS)."),
      "500": problemResponse("Unexpected failure (INTERNAL_ERROR); details are never exposed."),
    },
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
      description:
        "Bilateral trading of curtailment obligations between generators on flexible connections.",
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
