import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent } from "aws-lambda";
import type { Role } from "../../functions/http/auth/roles";
import type { Route } from "../../functions/http/routes";

/**
 * A REST v1 proxy event as API Gateway sends it to a route's handler (after the authorizer), for
 * calling handlers in-process. Checked against Powertools' schema in the fuzz test.
 */
export function restEvent(input: {
  route: Route;
  pathParameters?: Record<string, string>;
  body?: string | null;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  caller?: { role: Role; principalId: string };
}): APIGatewayProxyEvent {
  const { route, body = null, caller } = input;
  const pathParameters = input.pathParameters ?? {};
  const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(pathParameters[name] ?? ""),
  );
  const headers = { "Content-Type": "application/json", Host: "127.0.0.1", ...input.headers };
  const query = input.query ?? {};
  const hasQuery = Object.keys(query).length > 0;
  const now = new Date();
  const requestId = randomUUID();
  return {
    resource: route.path,
    path,
    httpMethod: route.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery
      ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]]))
      : null,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: null,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      authorizer: caller
        ? { role: caller.role, principalId: caller.principalId, integrationLatency: 0 }
        : null,
      domainName: "127.0.0.1",
      domainPrefix: "127",
      extendedRequestId: requestId,
      httpMethod: route.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: "127.0.0.1",
        user: null,
        userAgent: "fuzz",
        userArn: null,
      },
      path,
      protocol: "HTTP/1.1",
      requestId,
      requestTime: "01/Dec/2026:00:00:00 +0000",
      requestTimeEpoch: now.getTime(),
      resourceId: route.id,
      resourcePath: route.path,
      stage: "local",
    },
    body,
    isBase64Encoded: false,
  };
}
