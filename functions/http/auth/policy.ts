import type { APIGatewayAuthorizerResult } from "aws-lambda";
import type { Role } from "../../core/access/roles";
import { allowsRole, ROUTES, type Route } from "../routes";

/**
 * Whether `role` may call the route API Gateway resolved the request to (`httpMethod` +
 * `resource`, the path template such as `/markets/{marketId}`). A route not in ROUTES is denied.
 *
 * The decision is exact, per route, which is why the authorizer's result cache is off: a cached
 * policy would be reused for other routes, and IAM's `*` in a resource ARN also matches `/`,
 * so a wildcard policy covering "all routes of a role" could reach routes it should not.
 */
export function mayCall(
  role: Role,
  httpMethod: string,
  resource: string,
  routes: readonly Route[] = ROUTES,
): boolean {
  const route = routes.find(
    (candidate) => candidate.method === httpMethod && candidate.path === resource,
  );
  return route !== undefined && allowsRole(route, role);
}

/** The policy for exactly this method ARN: Allow, or Deny (answered 403 by API Gateway). */
export function policyFor(
  allow: boolean,
  methodArn: string,
): APIGatewayAuthorizerResult["policyDocument"] {
  return {
    Version: "2012-10-17",
    Statement: [
      { Action: "execute-api:Invoke", Effect: allow ? "Allow" : "Deny", Resource: methodArn },
    ],
  };
}
