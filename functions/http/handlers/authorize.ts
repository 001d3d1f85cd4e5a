import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { authenticate } from "../../core/access/authenticate";
import { env } from "../../runtime/env";
import { logger } from "../../runtime/logger";
import * as ports from "../../runtime/ports";
import { mayCall, policyFor } from "../auth/policy";
import { AUTHORIZER, ROUTES, type Route } from "../routes";

const deps = ports.compose({
  clock: ports.clock,
  credentials: ports.credentials,
  participants: ports.participants,
  apiKeys: ports.apiKeys,
});

/**
 * The REQUEST authorizer: `x-api-key` → hash → stored key → role and identity.
 *
 * - no key, unknown key, revoked key, or the key of a participant that is not approved
 *   (suspended): throws `Unauthorized`, which API Gateway answers 401;
 * - a known key: a policy that allows this route if its role may call it and denies it otherwise
 *   (403), the identity in the context (`principalId`, `role`) for the handlers, and the role's
 *   usage-plan key for throttling (API key source AUTHORIZER).
 *
 * The presented key is never logged; only the outcome is.
 */
export const handler = authorizerFor(ROUTES);

/** The authorizer over a given route table (ROUTES; the local stack's tests add test routes). */
export function authorizerFor(routes: readonly Route[]) {
  return middy<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const authentication = await authenticate(
        deps,
        headerValue(event.headers, AUTHORIZER.header),
      );
      if ("refused" in authentication) return unauthorized(authentication.refused);
      const { role, principalId, keyId, anmSchemeId } = authentication.caller;
      const allow = mayCall(role, event.httpMethod, event.resource, routes);
      logger.info(allow ? "key accepted" : "role refused", {
        role,
        principalId,
        keyId,
        route: `${event.httpMethod} ${event.resource}`,
      });
      const usageIdentifierKey = env().USAGE_KEYS[role];
      return {
        principalId,
        policyDocument: policyFor(allow, event.methodArn),
        context: {
          role,
          principalId,
          ...(keyId === undefined ? {} : { keyId }),
          ...(anmSchemeId === undefined ? {} : { anmSchemeId }),
        },
        ...(usageIdentifierKey === undefined ? {} : { usageIdentifierKey }),
      };
    });
}

/** API Gateway's contract for a 401: the authorizer fails with exactly this message. */
function unauthorized(reason: string): never {
  logger.info("key refused", { reason });
  throw new Error("Unauthorized");
}

/** Header lookup by case-insensitive name (API Gateway keeps the client's casing). */
function headerValue(
  headers: APIGatewayRequestAuthorizerEvent["headers"],
  name: string,
): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name && typeof value === "string" && value !== "") return value;
  }
  return undefined;
}
