import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent } from "aws-lambda";
import type { Role } from "../../functions/core/access/roles";
import type { Route } from "../../functions/http/routes";
import { restProxyEvent } from "../../lib/local/rest-event";

/**
 * A REST v1 proxy event as API Gateway sends it to a route's handler (after the authorizer), for
 * calling handlers in-process; built by the local API server's own builder. Checked against
 * Powertools' schema in the fuzz test.
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
  return restProxyEvent({
    route,
    path,
    method: route.method,
    headers: Object.entries(headers),
    query: Object.entries(input.query ?? {}),
    pathParameters,
    body,
    isBase64Encoded: false,
    requestId: randomUUID(),
    now: new Date(),
    stage: "local",
    client: { host: "127.0.0.1", sourceIp: "127.0.0.1", userAgent: "fuzz", protocol: "HTTP/1.1" },
    authorizer: caller
      ? { role: caller.role, principalId: caller.principalId, integrationLatency: 0 }
      : null,
  });
}
