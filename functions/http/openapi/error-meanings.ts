/**
 * What each stable error `code` means to a client, as the OpenAPI document explains it next to
 * the status it comes with (functions/http/error-status.ts). Data only. A code a route declares
 * without a meaning here fails the document test.
 */
export const ERROR_MEANINGS: Readonly<Record<string, string>> = {
  BAD_REQUEST:
    "the request itself is malformed: a path that is not valid %-encoding, or a reserved header or query name (D-144); nothing was read",
  MALFORMED_JSON: "the body is missing, empty or not JSON (`errors[0].path` is `body`)",
  VALIDATION_FAILED:
    "a field, path or query parameter is invalid or unknown; one `errors[]` item per field, its `path` naming the field",
  UNAUTHENTICATED: "the `x-api-key` header is missing, or the key is unknown, revoked or suspended",
  FORBIDDEN: "the key's role may not call this route",
  NOT_FOUND:
    "no such object, or one the caller does not own (the same answer either way, so nothing leaks)",
  GATE_CLOSED:
    "received at or after the day's gate closure (R-GATE-1), or the market's cycle is no longer the current one; nothing changed",
  NOT_APPROVED: "the participant has not been approved (or was suspended or rejected)",
  ALREADY_CLAIMED: "the participant's API key was claimed already",
  CLAIM_SECRET_EXPIRED:
    "the claim secret is more than 30 days old (D-149); the operator can re-issue one (D-198)",
  TOO_MANY_REGISTRATIONS:
    "this source address has registered too often in the last hour (D-150); the detail says when to try again",
  ENTRY_ALREADY_CLAIMED:
    "a MOL entry named by the asset is held by another asset of the scheme that is not rejected",
  DECISION_NOT_ALLOWED:
    "the decision does not apply to the object's status (D-18, D-19); nothing changed",
  IDEMPOTENCY_IN_PROGRESS:
    "a request with the same Idempotency-Key is still being processed; retry shortly",
  PAYLOAD_TOO_LARGE: "the body is over 1 MiB",
  UNSUPPORTED_MEDIA_TYPE: "the body's `content-type` is not one the route accepts",
  IDEMPOTENCY_KEY_REUSED: "the Idempotency-Key was used before with another request",
  NOT_ELIGIBLE: "the entry has no opportunity on that side in that market (R-ELIG, R-ORDER-1)",
  QUANTITY_EXCEEDS_CAPACITY:
    "the entry's open orders in the market would exceed its max quantity (R-ORDER-2)",
  WEBHOOK_URL_NOT_ALLOWED:
    "the endpoint URL is not https, does not resolve, or resolves to an address that is not public (D-162)",
  WEBHOOK_ENDPOINT_NOT_CONFIGURED:
    "the caller has no enabled webhook endpoint (register one with PUT /webhook-endpoint)",
  TOO_MANY_REQUESTS: "the key's request rate or quota is exceeded; slow down",
  LOOK_AHEAD_INVALID:
    "the look-ahead breaks R-IN-1 (array lengths, negatives, duplicates, gaps, unknown constraint, gate closure); every fault is listed in `errors[]`",
  LOOK_AHEAD_CONFLICT: "the `lookAheadId` was used before with another body (R-IN-2)",
  TOPOLOGY_CHANGE_INVALID:
    "the topology change breaks R-VERIFY-1 (array lengths, duplicates, gapped curtailmentOrder, an entry whose resourceId or capacity differs from the look-ahead, requiredCurtailmentMw on a constraint the look-ahead has, a day or scheme without a look-ahead); every fault is listed in `errors[]`; nothing was stored",
  TOPOLOGY_CHANGE_CONFLICT:
    "the `topologyChangeId` was received before with another body (R-VERIFY-2); nothing changed",
  VETO_DEADLINE_PASSED:
    "the scheme's veto deadline (default 14:00 on the day before delivery) has passed (R-VERIFY-8); nothing changed",
  MARKET_NOT_VETOABLE:
    "the market is not matched, has no trades, or vetoes are off for the scheme (`detail` says which, R-VERIFY-8); nothing changed",
  MERIT_ORDER_NOT_PUBLISHED:
    "the day's merit order is not published yet (R-VERIFY-7); before gate closure send a new look-ahead instead",
  MARKET_NOT_OPEN: "the market is not open for orders (pending, closed or cancelled; D-26)",
  ORDER_NOT_OPEN: "the order is no longer open (withdrawn, cancelled or matched; D-26)",
  PRICE_EXCEEDS_CAP: "a price component is above the scheme's price cap (R-ORDER-1, D-12)",
  NOT_ACCEPTABLE: "the `Accept` header asks for a representation the route does not serve",
  ACTUALS_CONFLICT: "the `actualsId` was received before with another body (R-PERF-1)",
  DELIVERY_DAY_NOT_ENDED: "actuals are accepted once the delivery day has ended (R-PERF-1)",
  ACTUALS_INVALID:
    "the actuals do not fit the day: lengths, negatives, an unknown constraint, entry or unit, a value for a unit not in force, or no published day-ahead; every fault in `errors[]`",
  METER_READINGS_INVALID:
    "the readings do not fit their days: values per SP, SP out of range, a duplicate (entry, day, SP, direction), or an unknown entry (also one the caller does not own)",
  UPLOAD_NOT_RECEIVED: "nothing was put to the upload's URL yet; PUT the file first",
  UPLOAD_FAILED:
    "the uploaded file could not be processed (every attempt failed on a fault of the platform); none of it counts: upload it again with a new upload",
  BASELINE_DEADLINE_PASSED: "the day's baseline deadline has passed (R-PERF-3); nothing changed",
  BASELINE_INVALID: "the nomination has the wrong length, a negative or a value above capacity",
  MONTH_NOT_SETTLEABLE:
    "the month's meter deadline has not passed (00:00 local on the 6th of the next month by default, R-SETTLE-7)",
  SETTLEMENT_RUN_IN_PROGRESS: "a run of the month is still running; wait for it to end",
  SCHEME_CONFIG_INVALID:
    "a configuration value breaks a rule (range, decimals, or settings that contradict each other); every fault is listed in `errors[]`",
  SCHEME_VERSION_IN_USE:
    "a delivery day on or after `effectiveFrom` already has a look-ahead, so its version cannot change (D-191); nothing was stored",
  KEY_NOT_CURRENT: "the key that asked was revoked or replaced meanwhile (D-198); nothing changed",
  INTERNAL_ERROR: "an unexpected fault of the platform; no detail is exposed",
  TEMPORARILY_UNAVAILABLE:
    "contention or throttling outlived the retries, or a store is unreachable; nothing was changed — retry after the `Retry-After` seconds (D-32)",
};
