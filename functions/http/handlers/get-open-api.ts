import type { APIGatewayProxyEvent } from "aws-lambda";
import { httpHandler } from "../middleware/http-handler";
import { buildOpenApiDocument } from "../openapi/document";
import { json } from "../responses";

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

/**
 * GET /openapi.json — the OpenAPI 3.1 document generated from ROUTES and the zod schemas,
 * with `servers` pointing at the URL the caller used (stage or base path included).
 */
export const handler = httpHandler(async (event) => {
  document ??= buildOpenApiDocument();
  return json(200, { ...document, servers: [{ url: serverUrl(event) }] });
});

function serverUrl(event: APIGatewayProxyEvent): string {
  const headers = event.headers ?? {};
  const host = headers.host ?? event.requestContext.domainName ?? "localhost";
  const proto = headers["x-forwarded-proto"] ?? "https";
  const fullPath = event.requestContext.path;
  const basePath = fullPath.endsWith(event.path)
    ? fullPath.slice(0, fullPath.length - event.path.length)
    : "";
  return `${proto}://${host}${basePath}`;
}
