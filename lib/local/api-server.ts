import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
} from "aws-lambda";
import { corsHeaders, preflightHeaders } from "../../functions/http/cors";
import { GATEWAY_PROBLEMS, type GatewayProblem } from "../../functions/http/gateway-responses";
import { PROBLEM_CONTENT_TYPE, problem } from "../../functions/http/problem";
import { isProtected, type Route } from "../../functions/http/routes";
import { serveApiReference } from "./api-reference-page";
import { serveConsole } from "./console-static";
import { policyAllows } from "./iam-policy";
import { type LambdaHandler, LOCAL_ACCOUNT, LOCAL_REGION, lambdaContext } from "./lambda-context";
import { OBJECT_ROUTE_PREFIX, type ObjectRoute } from "./object-route";
import { observeResponse } from "./observed-responses";
import { restProxyEvent } from "./rest-event";

/**
 * The local REST API: node:http → an API Gateway REST (v1) proxy event → the same authorizer and
 * the same handler as in the cloud → the handler's result back as HTTP. Routes come from ROUTES,
 * answers API Gateway gives itself (401, 403, unknown route, too large) from GATEWAY_PROBLEMS.
 *
 * Not mimicked locally: usage-plan throttling, the stage prefix in the URL (`/v1`).
 */
export interface ApiServerOptions {
  readonly routes: readonly Route[];
  /** Route id → its handler. */
  readonly handlers: Readonly<
    Record<string, LambdaHandler<APIGatewayProxyEvent, APIGatewayProxyResult>>
  >;
  readonly authorizer: LambdaHandler<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>;
  /** @default "local" */
  readonly stage?: string;
  /** The local buckets' object route (`/_buckets/…`), answered before route matching. */
  readonly objects?: ObjectRoute;
  /**
   * The one origin answered CORS (D-119), as the cloud API answers the console's.
   * @default the server's own origin, where it serves the console (`/console/`)
   */
  readonly corsOrigin?: string;
}

export interface ApiServer {
  readonly url: string;
  close(): Promise<void>;
}

/** API Gateway REST APIs refuse payloads over 10 MB. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** S3 takes far larger objects; the uploads the platform signs are at most 100 MiB. */
const MAX_OBJECT_BYTES = 101 * 1024 * 1024;

interface CompiledRoute {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly parameters: readonly string[];
}

function compile(route: Route): CompiledRoute {
  const parameters: string[] = [];
  const source = route.path
    .split("/")
    .map((segment) => {
      const parameter = /^\{([^}]+)\}$/.exec(segment);
      if (parameter) {
        parameters.push(parameter[1]!);
        return "([^/]+)";
      }
      return segment.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { route, pattern: new RegExp(`^${source}$`), parameters };
}

export async function startApiServer(options: ApiServerOptions, port = 0): Promise<ApiServer> {
  for (const route of options.routes) {
    if (typeof options.handlers[route.id] !== "function") {
      throw new Error(`no handler for route ${route.id}`);
    }
  }
  const compiled = options.routes.map(compile);
  const stage = options.stage ?? "local";
  /** Set once the server listens (its own origin unless told otherwise). */
  let corsOrigin = options.corsOrigin;
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, gatewayProblem(GATEWAY_PROBLEMS.internalError));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (serveConsole(req, res) || serveApiReference(req, res)) return;
    if (options.objects && (req.url ?? "").startsWith(OBJECT_ROUTE_PREFIX)) {
      const object = await readBody(req, MAX_OBJECT_BYTES);
      if (object === undefined) {
        res.writeHead(413);
        res.end();
        return;
      }
      await options.objects.handle(req, res, object);
      return;
    }
    const requestId = randomUUID();
    res.setHeader("x-amzn-requestid", requestId);
    // D-119: every answer to the console's origin names it, gateway answers included.
    for (const [name, value] of Object.entries(corsHeaders(req.headers.origin, corsOrigin)))
      res.setHeader(name, value);
    const body = await readBody(req);
    if (body === undefined) return send(res, gatewayProblem(GATEWAY_PROBLEMS.payloadTooLarge));
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = (req.method ?? "GET").toUpperCase();
    if (method === "OPTIONS") {
      // The preflight, as the cloud API's OPTIONS method of each resource answers it.
      const methods = compiled
        .filter((candidate) => candidate.pattern.test(url.pathname))
        .map((candidate) => candidate.route.method);
      if (methods.length === 0) return send(res, gatewayProblem(GATEWAY_PROBLEMS.routeNotFound));
      for (const name of res.getHeaderNames())
        if (name.startsWith("access-control-")) res.removeHeader(name);
      res.writeHead(204, preflightHeaders(req.headers.origin, corsOrigin, methods));
      res.end();
      return;
    }
    let match: { compiled: CompiledRoute; values: string[] } | undefined;
    for (const candidate of compiled) {
      if (candidate.route.method !== method) continue;
      const found = candidate.pattern.exec(url.pathname);
      if (found) {
        match = { compiled: candidate, values: found.slice(1) };
        break;
      }
    }
    if (match === undefined) return send(res, gatewayProblem(GATEWAY_PROBLEMS.routeNotFound));
    const { route, parameters } = match.compiled;
    routeOf.set(res, route.id);
    // D-144: a path that is not valid %-encoding, or a header or query name that would name an
    // object's own machinery, is the client's malformed request: 400, never a 500.
    const decoded = parameters.map((_, index) => decodedOrUndefined(match.values[index]!));
    if (decoded.includes(undefined) || hasReservedName(req, url))
      return send(res, gatewayProblem(GATEWAY_PROBLEMS.badRequest));
    const pathParameters = Object.fromEntries(
      parameters.map((name, index) => [name, decoded[index]!]),
    );
    const event = proxyEvent({ req, url, method, route, pathParameters, body, requestId, stage });

    if (isProtected(route)) {
      const started = Date.now();
      let result: APIGatewayAuthorizerResult;
      try {
        result = await options.authorizer(
          authorizerEvent(event),
          lambdaContext("Authorize", 10_000),
        );
      } catch (error) {
        const unauthorized = error instanceof Error && error.message === "Unauthorized";
        return send(
          res,
          gatewayProblem(
            unauthorized ? GATEWAY_PROBLEMS.unauthenticated : GATEWAY_PROBLEMS.authorizerFailure,
          ),
        );
      }
      if (!policyAllows(result.policyDocument, methodArn(event))) {
        return send(res, gatewayProblem(GATEWAY_PROBLEMS.forbidden));
      }
      event.requestContext.authorizer = {
        ...result.context,
        principalId: result.principalId,
        integrationLatency: Date.now() - started,
      };
    }

    let response: APIGatewayProxyResult;
    try {
      response = await options.handlers[route.id]!(event, lambdaContext(route.id));
    } catch {
      return send(res, gatewayProblem(GATEWAY_PROBLEMS.internalError));
    }
    send(res, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const { port: actualPort } = server.address() as AddressInfo;
  corsOrigin ??= `http://127.0.0.1:${actualPort}`;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The route each response answers, for the test instrumentation. */
const routeOf = new WeakMap<ServerResponse, string>();

function send(res: ServerResponse, response: APIGatewayProxyResult): void {
  const route = routeOf.get(res);
  if (route !== undefined) {
    observeResponse(
      route,
      response.statusCode,
      response.isBase64Encoded ? undefined : response.body,
    );
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(response.multiValueHeaders ?? {})) {
    headers[name] = values.map(String);
  }
  const body = response.isBase64Encoded
    ? Buffer.from(response.body ?? "", "base64")
    : Buffer.from(response.body ?? "", "utf8");
  res.writeHead(response.statusCode, { ...headers, "content-length": String(body.length) });
  res.end(body);
}

function gatewayProblem(spec: GatewayProblem): APIGatewayProxyResult {
  const { status, code, title, detail } = spec;
  return {
    statusCode: status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE },
    body: JSON.stringify(problem({ status, code, title, detail })),
  };
}

function sourceIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? "127.0.0.1";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

/** `decodeURIComponent`, or undefined for a malformed %-sequence. */
function decodedOrUndefined(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Names no header or query parameter may have (they are JavaScript objects' own machinery). */
const RESERVED_NAMES = new Set(["__proto__", "constructor", "prototype"]);

function hasReservedName(req: IncomingMessage, url: URL): boolean {
  for (let index = 0; index < req.rawHeaders.length; index += 2)
    if (RESERVED_NAMES.has(req.rawHeaders[index]!.toLowerCase())) return true;
  for (const name of url.searchParams.keys()) if (RESERVED_NAMES.has(name)) return true;
  return false;
}

/** The REST v1 proxy event API Gateway would send for this request. */
function proxyEvent(input: {
  req: IncomingMessage;
  url: URL;
  method: string;
  route: Route;
  pathParameters: Record<string, string>;
  body: Buffer;
  requestId: string;
  stage: string;
}): APIGatewayProxyEvent {
  const { req, url, method, route, pathParameters, body, requestId, stage } = input;
  // API Gateway keeps the client's header casing: build from rawHeaders, not req.headers.
  // It also adds the X-Forwarded-* headers, as API Gateway does.
  const headers: Array<[string, string]> = [];
  for (let index = 0; index + 1 < req.rawHeaders.length; index += 2)
    headers.push([req.rawHeaders[index]!, req.rawHeaders[index + 1]!]);
  const forwarded = {
    "X-Forwarded-For": sourceIp(req),
    "X-Forwarded-Port": String(req.socket.localPort ?? ""),
    "X-Forwarded-Proto": "http",
  };
  for (const [name, value] of Object.entries(forwarded)) {
    if (req.headers[name.toLowerCase()] === undefined) headers.push([name, value]);
  }
  const header = (name: string) => req.headers[name] as string | undefined;
  const isText = body.length === 0 || isTextual(header("content-type"));
  return restProxyEvent({
    route,
    path: url.pathname,
    method,
    headers,
    query: [...url.searchParams],
    pathParameters,
    body: body.length === 0 ? null : body.toString(isText ? "utf8" : "base64"),
    isBase64Encoded: !isText,
    requestId,
    now: new Date(),
    stage,
    client: {
      host: header("host") ?? "127.0.0.1",
      sourceIp: sourceIp(req),
      userAgent: header("user-agent") ?? null,
      protocol: `HTTP/${req.httpVersion}`,
    },
  });
}

/** Without binary media types configured, API Gateway passes every body as text. */
function isTextual(contentType: string | undefined): boolean {
  return (
    contentType === undefined ||
    !/^(application\/octet-stream|image\/|audio\/|video\/)/.test(contentType)
  );
}

function methodArn(event: APIGatewayProxyEvent): string {
  const { apiId, stage } = event.requestContext;
  return `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${apiId}/${stage}/${event.httpMethod}${event.path}`;
}

/** The REQUEST authorizer event for a proxy event, as API Gateway builds it. */
export function authorizerEvent(event: APIGatewayProxyEvent): APIGatewayRequestAuthorizerEvent {
  return {
    type: "REQUEST",
    methodArn: methodArn(event),
    resource: event.resource,
    path: event.path,
    httpMethod: event.httpMethod,
    headers: event.headers,
    multiValueHeaders: event.multiValueHeaders,
    queryStringParameters: event.queryStringParameters ?? {},
    multiValueQueryStringParameters: event.multiValueQueryStringParameters ?? {},
    pathParameters: event.pathParameters ?? {},
    stageVariables: event.stageVariables ?? {},
    requestContext: { ...event.requestContext, authorizer: undefined },
  };
}
