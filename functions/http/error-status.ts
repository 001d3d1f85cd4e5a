/**
 * ERROR TABLE — data only: the HTTP status for each stable error `code` a handler may throw.
 * The error middleware answers with this status; a code that is not listed here, or listed
 * with a status ≥ 500, is hidden behind a generic 500 `INTERNAL_ERROR` — except
 * `TEMPORARILY_UNAVAILABLE`, answered 503 with a fixed detail and `Retry-After`.
 */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  MALFORMED_JSON: 400,
  VALIDATION_FAILED: 400,
  /** The gateway's own answer to a malformed request (D-144); no handler throws it. */
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  GATE_CLOSED: 409,
  NOT_APPROVED: 409,
  ALREADY_CLAIMED: 409,
  CLAIM_SECRET_EXPIRED: 409,
  TOO_MANY_REGISTRATIONS: 429,
  ENTRY_ALREADY_CLAIMED: 409,
  DECISION_NOT_ALLOWED: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  NOT_ELIGIBLE: 422,
  QUANTITY_EXCEEDS_CAPACITY: 422,
  TOO_MANY_REQUESTS: 429,
  LOOK_AHEAD_INVALID: 422,
  LOOK_AHEAD_CONFLICT: 409,
  TOPOLOGY_CHANGE_INVALID: 422,
  TOPOLOGY_CHANGE_CONFLICT: 409,
  MERIT_ORDER_NOT_PUBLISHED: 409,
  VETO_DEADLINE_PASSED: 409,
  MARKET_NOT_VETOABLE: 409,
  MARKET_NOT_OPEN: 409,
  ORDER_NOT_OPEN: 409,
  PRICE_EXCEEDS_CAP: 422,
  NOT_ACCEPTABLE: 406,
  ACTUALS_CONFLICT: 409,
  DELIVERY_DAY_NOT_ENDED: 409,
  ACTUALS_INVALID: 422,
  METER_READINGS_INVALID: 422,
  UPLOAD_NOT_RECEIVED: 409,
  BASELINE_DEADLINE_PASSED: 409,
  BASELINE_INVALID: 422,
  MONTH_NOT_SETTLEABLE: 409,
  SETTLEMENT_RUN_IN_PROGRESS: 409,
  WEBHOOK_URL_NOT_ALLOWED: 422,
  WEBHOOK_ENDPOINT_NOT_CONFIGURED: 409,
  SCHEME_CONFIG_INVALID: 422,
  SCHEME_VERSION_IN_USE: 409,
  KEY_NOT_CURRENT: 409,
  INTERNAL_ERROR: 500,
  /** Contention or throttling after the retries: fixed detail and Retry-After (D-32). */
  TEMPORARILY_UNAVAILABLE: 503,
};

/** Titles for the statuses the API uses; the `detail` carries the specifics. */
export const STATUS_TITLE: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  406: "Not Acceptable",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};
