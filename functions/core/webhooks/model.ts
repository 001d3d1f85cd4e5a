import { hash } from "node:crypto";
import {
  ANM_RECIPIENT,
  EVENT_TYPES,
  type EventType,
  type PlatformEvent,
} from "../events/platform-event";
import { toUtcIso } from "../model/settlement-periods";

/**
 * The webhook rules (R-NOTIFY-1..8, R-DISPATCH-2 delivery) as pure functions and the records
 * they work on: who owns an endpoint, the URL rule, secrets and their rotation, the body sent,
 * the retry schedule and what an attempt's outcome does to a delivery. No I/O: the adapters
 * resolve names, check addresses, sign and send.
 */

// ── Owners (R-NOTIFY-1 §19) ──────────────────────────────────────────────────────────────────

/** The endpoint of the local stack's bootstrap ANM key (it acts for every scheme). */
export const BOOTSTRAP_ANM_OWNER = "anm";

/**
 * Who an endpoint belongs to: a participant (kept across key rotation and re-issue), an ANM
 * scheme (shared by that scheme's ANM keys: `anm:<scheme>`), or the bootstrap ANM key.
 */
export function endpointOwnerOf(caller: {
  role: string;
  principalId: string;
  anmSchemeId?: string;
}): string {
  if (caller.role === "anm")
    return caller.anmSchemeId ? `anm:${caller.anmSchemeId}` : BOOTSTRAP_ANM_OWNER;
  return caller.principalId;
}

/**
 * The endpoint owners an event goes to: its participant; for the ANM, the scheme's endpoint
 * (stored `undeliverable` when it has none) and the bootstrap ANM endpoint when one is registered
 * (`optional`: no record without an endpoint) — D-161.
 */
export function ownersOf(event: {
  recipient: string;
  anmSchemeId?: string;
}): { owner: string; optional: boolean }[] {
  if (event.recipient !== ANM_RECIPIENT) return [{ owner: event.recipient, optional: false }];
  return [
    ...(event.anmSchemeId ? [{ owner: `anm:${event.anmSchemeId}`, optional: false }] : []),
    { owner: BOOTSTRAP_ANM_OWNER, optional: event.anmSchemeId !== undefined },
  ];
}

/** One delivery per (event, endpoint owner): the same pair always names the same delivery. */
export function deliveryIdOf(eventId: string, owner: string): string {
  return `dlv_${hash("sha256", `${eventId}\u001f${owner}\u001f`, "hex").slice(0, 20)}`;
}

// ── The URL rule (R-NOTIFY-1) ────────────────────────────────────────────────────────────────

export const MAX_URL_LENGTH = 2048;

/** Where the platform runs: the cloud (https only) or the local stack (also loopback http). */
export interface UrlPolicy {
  readonly allowLocalHttp: boolean;
}

/** A URL that passed the syntax rule; its host's addresses are checked at each use. */
export interface WebhookTarget {
  readonly url: string;
  readonly hostname: string;
  /** `127.0.0.1` or `localhost` on the local stack: the one case a loopback address is allowed. */
  readonly loopback: boolean;
}

/**
 * R-NOTIFY-1, the part that needs no network: `https://` (the local stack also takes
 * `http://127.0.0.1:<port>` and `http://localhost:<port>`), no user or password, no fragment, at
 * most 2048 characters. The addresses the host resolves to are checked by the transport, here at
 * registration and again at every attempt. Returns the target or why it is refused.
 */
export function webhookTarget(
  text: string,
  policy: UrlPolicy,
): { target: WebhookTarget } | { refused: string } {
  if (text.length > MAX_URL_LENGTH)
    return { refused: `must be at most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { refused: "must be an absolute URL" };
  }
  if (url.username !== "" || url.password !== "") return { refused: "must not carry credentials" };
  if (url.hash !== "") return { refused: "must not have a fragment" };
  const hostname = url.hostname.toLowerCase();
  const local = hostname === "127.0.0.1" || hostname === "localhost";
  if (policy.allowLocalHttp && local) {
    if (url.port === "") return { refused: "a local receiver must name its port" };
    if (url.protocol !== "http:" && url.protocol !== "https:")
      return { refused: "must be http:// or https://" };
    return { target: { url: url.href, hostname, loopback: true } };
  }
  if (url.protocol !== "https:")
    return {
      refused: policy.allowLocalHttp
        ? "must be https:// (or http://127.0.0.1:<port>, http://localhost:<port> on the local stack)"
        : "must be https://",
    };
  return { target: { url: url.href, hostname, loopback: false } };
}

// ── Secrets (R-NOTIFY-2) ─────────────────────────────────────────────────────────────────────

/** An endpoint secret is `whsec_` and the base64 of 32 random bytes. */
export const SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{43}=$/;

/** How long the previous secret keeps signing after a rotation. */
export const PREVIOUS_SECRET_MS = 24 * 60 * 60 * 1000;

/** A secret as stored: sealed (the adapter's envelope), never in clear. */
export interface StoredSecret<Sealed = unknown> {
  readonly sealed: Sealed;
  readonly createdAtMs: number;
  /** Set on the previous secret by a rotation; gone after it. */
  readonly expiresAtMs?: number;
}

/** The secrets that sign at `nowMs`: the current one and a previous one not yet expired. */
export function liveSecrets<S>(secrets: ReadonlyArray<StoredSecret<S>>, nowMs: number) {
  return secrets.filter((s) => s.expiresAtMs === undefined || s.expiresAtMs > nowMs);
}

/**
 * R-NOTIFY-2 rotation: the new secret is current, the current one signs for 24 h more, any older
 * one is dropped at once (never more than two).
 */
export function rotate<S>(
  secrets: ReadonlyArray<StoredSecret<S>>,
  fresh: StoredSecret<S>,
  nowMs: number,
): StoredSecret<S>[] {
  const current = secrets.find((s) => s.expiresAtMs === undefined);
  return current ? [fresh, { ...current, expiresAtMs: nowMs + PREVIOUS_SECRET_MS }] : [fresh];
}

// ── Endpoints ────────────────────────────────────────────────────────────────────────────────

export type EndpointStatus = "enabled" | "disabled";

/** One owner's endpoint (R-NOTIFY-1). */
export interface WebhookEndpoint<Sealed = unknown> {
  owner: string;
  url: string;
  /** Subscribed types; undefined = every type (also those added later). */
  eventTypes?: EventType[];
  status: EndpointStatus;
  /** Why it was disabled by the platform: a 410 from the receiver. */
  disabledReason?: "gone";
  secrets: StoredSecret<Sealed>[];
  createdAtMs: number;
  updatedAtMs: number;
  /** Bumped by every write: writes are conditional on the revision read. */
  revision: number;
}

/** True when the endpoint takes events of this type (webhook.test always). */
export function subscribes(endpoint: WebhookEndpoint, type: EventType): boolean {
  if (endpoint.status !== "enabled") return false;
  return type === "webhook.test" || (endpoint.eventTypes ?? EVENT_TYPES).includes(type as never);
}

// ── Bodies (R-NOTIFY-5) ──────────────────────────────────────────────────────────────────────

/** `data` whose JSON is over this many UTF-8 bytes is replaced by `{ href }` (D-164). */
export const MAX_DATA_BYTES = 20 * 1024;

/** The API resource an event's `data` stands for, used when it is too large to send. */
export function resourceHref(event: Pick<PlatformEvent, "type" | "data">): string {
  const d = event.data as Record<string, unknown>;
  const q = (v: unknown) => encodeURIComponent(String(v));
  switch (event.type) {
    case "market.opened":
      return `/opportunities?deliveryDate=${q(d.deliveryDate)}`;
    case "order.cancelled":
      return `/orders/${q(d.orderId)}`;
    case "trade.confirmed":
    case "trade.cancelled":
      return `/trades?deliveryDate=${q(d.deliveryDate)}`;
    case "dispatch.instruction":
      return `/merit-order-instructions?deliveryDate=${q(d.deliveryDate)}&constraintId=${q(d.constraintId)}&version=${q(d.version)}`;
    default:
      return typeof d.href === "string" ? d.href : "/webhook-deliveries";
  }
}

/**
 * The exact body of every attempt of an event (R-NOTIFY-5, R-NOTIFY-7): `{ id, type,
 * timestamp, data }` with `data` replaced by `{ href }` when its JSON is over 20 KB.
 */
export function webhookBody(event: Pick<PlatformEvent, "id" | "type" | "timestampMs" | "data">) {
  const data =
    Buffer.byteLength(JSON.stringify(event.data), "utf8") > MAX_DATA_BYTES
      ? { href: resourceHref(event) }
      : event.data;
  return JSON.stringify({
    id: event.id,
    type: event.type,
    timestamp: toUtcIso(event.timestampMs),
    data,
  });
}

/** An event as the outbox holds it: what fan-out needs and the body every attempt sends. */
export interface OutboxEvent {
  eventId: string;
  type: EventType;
  recipient: string;
  /** The ANM scheme, for the ANM's events (its endpoint is per scheme). */
  anmSchemeId?: string;
  timestampMs: number;
  body: string;
}

/** A platform event as the outbox writes it. */
export function outboxEventOf(event: PlatformEvent): OutboxEvent {
  const scheme = (event.data as { anmSchemeId?: unknown }).anmSchemeId;
  return {
    eventId: event.id,
    type: event.type,
    recipient: event.recipient,
    ...(typeof scheme === "string" ? { anmSchemeId: scheme } : {}),
    timestampMs: event.timestampMs,
    body: webhookBody(event),
  };
}

// ── Deliveries and the retry schedule (R-NOTIFY-6..8) ────────────────────────────────────────

export type DeliveryStatus = "pending" | "succeeded" | "failed" | "undeliverable";

/** Why an attempt got no HTTP status (docs/api.md `attempts[].error`). */
export type AttemptError =
  | "timeout"
  | "connection"
  | "tls"
  | "dns"
  | "redirect"
  | "address-not-allowed";

export interface DeliveryAttempt {
  atMs: number;
  statusCode?: number;
  error?: AttemptError;
  durationMs: number;
  /** Made by `POST /webhook-deliveries/{id}/retry` (R-NOTIFY-8), outside the schedule. */
  manual?: boolean;
}

/** One event for one endpoint owner, with its attempts (R-NOTIFY-8). */
export interface WebhookDelivery {
  deliveryId: string;
  eventId: string;
  owner: string;
  type: EventType;
  status: DeliveryStatus;
  createdAtMs: number;
  /** The exact string every attempt sends. */
  body: string;
  attemptCount: number;
  /** Scheduled attempts made (manual retries are not counted): the 10th failure ends it. */
  scheduledAttempts: number;
  /** The most recent attempts (at most {@link KEPT_ATTEMPTS}), oldest first. */
  attempts: DeliveryAttempt[];
  lastAttemptAtMs?: number;
  lastStatusCode?: number;
  /** While pending: when the next scheduled attempt is due. */
  nextAttemptAtMs?: number;
  /** A manual retry asked for and not made yet. */
  retryRequestedAtMs?: number;
}

/** R-NOTIFY-6 attempts: the first at once and nine retries. */
export const MAX_ATTEMPTS = 10;
/** R-NOTIFY-6 delays before attempts 2–10, each counted from the end of the previous attempt. */
export const DEFAULT_RETRY_DELAYS_MS = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  14 * 3_600_000,
  20 * 3_600_000,
  24 * 3_600_000,
] as const;
/** Up to 10 % is added to each delay, never taken off. */
export const MAX_JITTER = 0.1;
/** A `Retry-After` beyond this is taken as this (the longest delay of the schedule) — D-166. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;
/** Attempts kept on a delivery record; `attemptCount` counts them all (D-167). */
export const KEPT_ATTEMPTS = 50;
/** R-NOTIFY-6: the 15 s timeout of one attempt. */
export const ATTEMPT_TIMEOUT_MS = 15_000;
/** R-NOTIFY-8: deliveries are kept 30 days. */
export const DELIVERY_RETENTION_MS = 30 * 24 * 3_600_000;

/** What one attempt came back with (the transport's answer). */
export interface AttemptResult {
  startedAtMs: number;
  durationMs: number;
  statusCode?: number;
  error?: AttemptError;
  /** The receiver's `Retry-After`, in milliseconds from the end of the attempt. */
  retryAfterMs?: number;
}

/** The state a delivery moves to after an attempt. */
export interface DeliveryUpdate {
  status: DeliveryStatus;
  attempt: DeliveryAttempt;
  scheduledAttempts: number;
  nextAttemptAtMs: number | undefined;
  /** The receiver answered 410: its endpoint is disabled (R-NOTIFY-6). */
  gone: boolean;
}

/**
 * R-NOTIFY-6 and §19 after one attempt: 2xx ends the delivery (`succeeded`); 410 makes it
 * `failed` and disables the endpoint; any other answer or error is a failure, retried after the
 * next delay of the schedule from the attempt's end plus up to 10 % jitter (`jitter` ∈ [0, 1)
 * picks how much) and at least `Retry-After`, until the 10th failure makes it `failed`. A manual
 * retry (R-NOTIFY-8 §19) that fails leaves the status and schedule as they were; one that
 * succeeds ends it.
 */
export function afterAttempt(
  delivery: Pick<WebhookDelivery, "status" | "scheduledAttempts" | "nextAttemptAtMs">,
  result: AttemptResult,
  options: { manual: boolean; delaysMs: ReadonlyArray<number>; jitter: number },
): DeliveryUpdate {
  const attempt: DeliveryAttempt = {
    atMs: result.startedAtMs,
    ...(result.statusCode === undefined ? {} : { statusCode: result.statusCode }),
    ...(result.error === undefined ? {} : { error: result.error }),
    durationMs: result.durationMs,
    ...(options.manual ? { manual: true } : {}),
  };
  const ok = result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
  const gone = result.statusCode === 410;
  if (ok)
    return {
      status: "succeeded",
      attempt,
      scheduledAttempts: delivery.scheduledAttempts + (options.manual ? 0 : 1),
      nextAttemptAtMs: undefined,
      gone,
    };
  if (gone)
    return {
      status: "failed",
      attempt,
      scheduledAttempts: delivery.scheduledAttempts + (options.manual ? 0 : 1),
      nextAttemptAtMs: undefined,
      gone,
    };
  if (options.manual)
    return {
      status: delivery.status,
      attempt,
      scheduledAttempts: delivery.scheduledAttempts,
      nextAttemptAtMs: delivery.status === "pending" ? delivery.nextAttemptAtMs : undefined,
      gone,
    };
  const made = delivery.scheduledAttempts + 1;
  if (made >= MAX_ATTEMPTS)
    return { status: "failed", attempt, scheduledAttempts: made, nextAttemptAtMs: undefined, gone };
  const endedAtMs = result.startedAtMs + result.durationMs;
  const delay = options.delaysMs[made - 1] ?? options.delaysMs.at(-1) ?? 0;
  const jittered = Math.ceil(
    delay * (1 + MAX_JITTER * Math.min(Math.max(options.jitter, 0), 0.999)),
  );
  const retryAfter = Math.min(result.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS);
  return {
    status: "pending",
    attempt,
    scheduledAttempts: made,
    nextAttemptAtMs: endedAtMs + Math.max(jittered, retryAfter),
    gone,
  };
}

/**
 * `Retry-After` as milliseconds from `nowMs`: delay-seconds or an HTTP date; undefined when
 * absent or unreadable.
 */
export function retryAfterMs(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
