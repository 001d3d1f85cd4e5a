import type { APIGatewayEventRequestContext, APIGatewayProxyEvent } from "aws-lambda";
import { DateTime } from "luxon";
import type { Route } from "../../functions/http/routes";
import { LOCAL_ACCOUNT } from "./lambda-context";

/** The API id the local API Gateway reports in `requestContext`. */
const LOCAL_API_ID = "local";

/** What a REST (v1) proxy event is made of, once the HTTP request has been read. */
export interface RestEventParts {
  route: Route;
  /** The request path as sent, path parameters filled in. */
  path: string;
  method: string;
  /** Header (name, value) pairs in the order sent, names as sent; a name may repeat. */
  headers: ReadonlyArray<readonly [string, string]>;
  /** Query (name, value) pairs in the order sent; a name may repeat. */
  query: ReadonlyArray<readonly [string, string]>;
  pathParameters: Readonly<Record<string, string>>;
  body: string | null;
  isBase64Encoded: boolean;
  requestId: string;
  now: Date;
  stage: string;
  client: { host: string; sourceIp: string; userAgent: string | null; protocol: string };
  /** The authorizer's context, as API Gateway passes it to the handler; null without one. */
  authorizer?: APIGatewayEventRequestContext["authorizer"];
}

/**
 * The REST (v1) proxy event API Gateway sends a Lambda proxy integration, from its parts: the one
 * builder for the local API server and for tests that call a handler in-process. Single-value
 * maps keep the last value of a repeated name, multi-value maps keep every value in order, and
 * empty query and path-parameter maps are `null`, as API Gateway sends them.
 */
export function restProxyEvent(parts: RestEventParts): APIGatewayProxyEvent {
  const { route, path, method, requestId, now, stage, client } = parts;
  const [headers, multiValueHeaders] = valueMaps(parts.headers);
  const [query, multiValueQuery] = valueMaps(parts.query);
  const hasQuery = parts.query.length > 0;
  const hasPathParameters = Object.keys(parts.pathParameters).length > 0;
  return {
    resource: route.path,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQuery : null,
    pathParameters: hasPathParameters ? { ...parts.pathParameters } : null,
    stageVariables: null,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: LOCAL_API_ID,
      authorizer: parts.authorizer ?? null,
      domainName: client.host,
      domainPrefix: client.host.split(".")[0] ?? client.host,
      extendedRequestId: requestId,
      httpMethod: method,
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
        sourceIp: client.sourceIp,
        user: null,
        userAgent: client.userAgent,
        userArn: null,
      },
      path,
      protocol: client.protocol,
      requestId,
      requestTime: requestTime(now),
      requestTimeEpoch: now.getTime(),
      resourceId: route.id,
      resourcePath: route.path,
      stage,
    },
    body: parts.body,
    isBase64Encoded: parts.isBase64Encoded,
  };
}

function valueMaps(
  pairs: ReadonlyArray<readonly [string, string]>,
): [Record<string, string>, Record<string, string[]>] {
  // Maps, then own properties: a name like `__proto__` or `constructor` is a name, never a
  // property inherited from Object.prototype (D-144).
  const single = new Map<string, string>();
  const multi = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    single.set(name, value);
    multi.set(name, [...(multi.get(name) ?? []), value]);
  }
  return [Object.fromEntries(single), Object.fromEntries(multi)];
}

/** API Gateway's `requestTime`, e.g. `09/Apr/2015:12:34:56 +0000`. */
function requestTime(date: Date): string {
  return DateTime.fromJSDate(date, { zone: "utc" })
    .setLocale("en-US")
    .toFormat("dd/LLL/yyyy:HH:mm:ss ZZZ");
}
