/**
 * GATEWAY RESPONSES — data only: what API Gateway itself answers (before or instead of a
 * handler), as problem+json. The CDK API installs these as gateway responses and the local API
 * server answers the same situations with the same bodies.
 */
export interface GatewayProblem {
  /** The API Gateway response type (`AWS::ApiGateway::GatewayResponse` ResponseType). */
  readonly responseType: string;
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
}

export const GATEWAY_PROBLEMS = {
  unauthenticated: {
    responseType: "UNAUTHORIZED",
    status: 401,
    code: "UNAUTHENTICATED",
    title: "Unauthorized",
    detail: "A valid x-api-key header is required.",
  },
  forbidden: {
    responseType: "ACCESS_DENIED",
    status: 403,
    code: "FORBIDDEN",
    title: "Forbidden",
    detail: "This key's role may not call this route.",
  },
  routeNotFound: {
    responseType: "MISSING_AUTHENTICATION_TOKEN",
    status: 404,
    code: "ROUTE_NOT_FOUND",
    title: "Not Found",
    detail: "No such route.",
  },
  payloadTooLarge: {
    responseType: "REQUEST_TOO_LARGE",
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    title: "Content Too Large",
    detail: "The request body is too large.",
  },
  unsupportedMediaType: {
    responseType: "UNSUPPORTED_MEDIA_TYPE",
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    title: "Unsupported Media Type",
    detail: "Send JSON bodies as application/json.",
  },
  throttled: {
    responseType: "THROTTLED",
    status: 429,
    code: "TOO_MANY_REQUESTS",
    title: "Too Many Requests",
    detail: "Slow down and retry later.",
  },
  quotaExceeded: {
    responseType: "QUOTA_EXCEEDED",
    status: 429,
    code: "TOO_MANY_REQUESTS",
    title: "Too Many Requests",
    detail: "The request quota is exhausted.",
  },
  badRequest: {
    responseType: "DEFAULT_4XX",
    status: 400,
    code: "BAD_REQUEST",
    title: "Bad Request",
    detail: "The request could not be processed.",
  },
  /**
   * D-145: the authorizer could not run (its table read failed: an outage). Nothing was decided,
   * so the client may retry: 503, not API Gateway's default 500.
   */
  authorizerFailure: {
    responseType: "AUTHORIZER_FAILURE",
    status: 503,
    code: "TEMPORARILY_UNAVAILABLE",
    title: "Service Unavailable",
    detail: "The service is busy; nothing was changed. Retry shortly.",
  },
  internalError: {
    responseType: "DEFAULT_5XX",
    status: 500,
    code: "INTERNAL_ERROR",
    title: "Internal Server Error",
    detail: "Something went wrong on our side.",
  },
} as const satisfies Record<string, GatewayProblem>;
