import * as z from "zod";
import type { Actor } from "../access/roles";
import { ConflictError, DomainError, NotFoundError } from "../errors";
import { EVENT_TYPES, type EventType, platformEvent } from "../events/platform-event";
import { recordInstant, toUtcIso } from "../model/settlement-periods";
import type {
  Clock,
  DeliveryStore,
  IdGenerator,
  Outbox,
  SealedSecret,
  SecretBox,
  WebhookEndpointStore,
  WebhookSettings,
  WebhookTransport,
} from "../ports";
import {
  deliveryIdOf,
  liveSecrets,
  MAX_URL_LENGTH,
  rotate,
  type WebhookEndpoint,
  webhookTarget,
} from "./model";

/**
 * The endpoint routes (R-NOTIFY-1, R-NOTIFY-2): one endpoint per owner (a participant, an ANM
 * scheme, the bootstrap ANM key), registered with a URL the platform may call, a secret shown
 * once, rotation with a 24 h overlap, deletion and a test event. Every change is conditional on
 * the endpoint read and writes its audit record in the same transaction.
 */
export interface EndpointPorts {
  clock: Clock;
  ids: IdGenerator;
  endpoints: WebhookEndpointStore;
  secrets: SecretBox;
  transport: Pick<WebhookTransport, "check">;
  webhookSettings: Pick<WebhookSettings, "urlPolicy">;
  deliveries: Pick<DeliveryStore, "pendingOf">;
  outbox: Pick<Outbox, "append">;
}

/** The body of `PUT /webhook-endpoint`. */
export const EndpointRequestSchema = z
  .strictObject({
    url: z
      .string()
      .max(MAX_URL_LENGTH, { message: `must be at most ${MAX_URL_LENGTH} characters` })
      .meta({
        description:
          "Where events are POSTed: https:// (the local stack also takes http://127.0.0.1:<port> and http://localhost:<port>); its host must resolve only to public addresses (R-NOTIFY-1).",
        example: "https://hooks.example.com/bitrader",
      }),
    eventTypes: z
      .array(z.enum(EVENT_TYPES))
      .min(1, { message: "must list at least one event type (or be left out: every type)" })
      .max(EVENT_TYPES.length)
      .refine((types) => new Set(types).size === types.length, {
        message: "must not repeat an event type",
      })
      .optional()
      .meta({ description: "The event types to receive; every type when absent." }),
    enabled: z
      .boolean()
      .optional()
      .meta({ description: "false pauses deliveries (they become undeliverable); default true." }),
  })
  .meta({ id: "WebhookEndpointRequest" });

export type EndpointRequest = z.output<typeof EndpointRequestSchema>;

/** An endpoint as the API shows it: never a secret (docs/api.md "Webhooks"). */
export function endpointView(endpoint: WebhookEndpoint<SealedSecret>, nowMs: number) {
  const live = liveSecrets(endpoint.secrets, nowMs);
  const current = live.find((s) => s.expiresAtMs === undefined);
  const previous = live.find((s) => s.expiresAtMs !== undefined);
  return {
    url: endpoint.url,
    eventTypes: endpoint.eventTypes ?? [...EVENT_TYPES],
    enabled: endpoint.status === "enabled",
    status: endpoint.status,
    ...(endpoint.disabledReason ? { disabledReason: endpoint.disabledReason } : {}),
    secretCreatedAt: toUtcIso(current?.createdAtMs ?? endpoint.createdAtMs),
    ...(previous?.expiresAtMs ? { previousSecretExpiresAt: toUtcIso(previous.expiresAtMs) } : {}),
    createdAt: toUtcIso(endpoint.createdAtMs),
    updatedAt: toUtcIso(endpoint.updatedAtMs),
  };
}

/** Who the caller is, for the owner of its endpoint. */
export type WebhookCaller = Actor & { anmSchemeId?: string };

/** R-NOTIFY-1: the URL passes the syntax rule and its host resolves only to allowed addresses. */
async function allowedTarget(ports: EndpointPorts, url: string) {
  const checked = webhookTarget(url, ports.webhookSettings.urlPolicy);
  const refused =
    "refused" in checked ? checked.refused : await ports.transport.check(checked.target);
  if (refused !== undefined)
    throw new DomainError("WEBHOOK_URL_NOT_ALLOWED", `The webhook URL ${refused}.`, [
      { path: "url", message: refused },
    ]);
  return "target" in checked ? checked.target : undefined;
}

/**
 * `PUT /webhook-endpoint`: creates the owner's endpoint (201, with its secret shown this once)
 * or replaces its URL, types and `enabled` (200, no secret; re-enables one disabled by a 410).
 */
export async function putEndpoint(
  ports: EndpointPorts,
  owner: string,
  actor: Actor,
  request: EndpointRequest,
): Promise<{ created: boolean; view: ReturnType<typeof endpointView>; secret?: string }> {
  const target = await allowedTarget(ports, request.url);
  const url = target?.url ?? request.url;
  const status = request.enabled === false ? "disabled" : "enabled";
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const now = ports.clock.nowMs();
    const at = recordInstant(now);
    const existing = await ports.endpoints.get(owner);
    if (!existing) {
      const secret = ports.secrets.newSecret();
      const endpoint: WebhookEndpoint<SealedSecret> = {
        owner,
        url,
        ...(request.eventTypes ? { eventTypes: request.eventTypes as EventType[] } : {}),
        status,
        secrets: [{ sealed: await ports.secrets.seal(secret, owner), createdAtMs: now }],
        createdAtMs: now,
        updatedAtMs: now,
        revision: 1,
      };
      const written = await ports.endpoints.put(endpoint, undefined, {
        subject: owner,
        action: "webhook-endpoint.created",
        actor,
        at,
        to: status,
      });
      if (written) return { created: true, view: endpointView(endpoint, now), secret };
      continue;
    }
    const { disabledReason: _gone, eventTypes: _types, ...rest } = existing;
    const endpoint: WebhookEndpoint<SealedSecret> = {
      ...rest,
      url,
      ...(request.eventTypes ? { eventTypes: request.eventTypes as EventType[] } : {}),
      status,
      secrets: liveSecrets(existing.secrets, now),
      updatedAtMs: now,
      revision: existing.revision + 1,
    };
    const written = await ports.endpoints.put(endpoint, existing.revision, {
      subject: owner,
      action: "webhook-endpoint.updated",
      actor,
      at,
      from: existing.status,
      to: status,
    });
    if (written) return { created: false, view: endpointView(endpoint, now) };
  }
  throw new ConflictError("IDEMPOTENCY_IN_PROGRESS", "The endpoint is being changed; retry.");
}

async function endpointOf(ports: Pick<EndpointPorts, "endpoints">, owner: string) {
  const endpoint = await ports.endpoints.get(owner);
  if (!endpoint) throw new NotFoundError("The webhook endpoint");
  return endpoint;
}

/** `GET /webhook-endpoint`. */
export async function getEndpoint(
  ports: Pick<EndpointPorts, "endpoints" | "clock">,
  owner: string,
) {
  return endpointView(await endpointOf(ports, owner), ports.clock.nowMs());
}

/** `DELETE /webhook-endpoint`: gone; its pending deliveries become `undeliverable` as they come up. */
export async function deleteEndpoint(ports: EndpointPorts, owner: string, actor: Actor) {
  const endpoint = await endpointOf(ports, owner);
  const deleted = await ports.endpoints.delete(owner, endpoint.revision, {
    subject: owner,
    action: "webhook-endpoint.deleted",
    actor,
    at: recordInstant(ports.clock.nowMs()),
    from: endpoint.status,
  });
  if (!deleted)
    throw new ConflictError("IDEMPOTENCY_IN_PROGRESS", "The endpoint is being changed; retry.");
}

/**
 * `POST /webhook-endpoint/secret-rotations` (R-NOTIFY-2): a new secret, shown once; the previous
 * one signs for 24 h more; an older one is dropped at once.
 */
export async function rotateSecret(ports: EndpointPorts, owner: string, actor: Actor) {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const endpoint = await endpointOf(ports, owner);
    const now = ports.clock.nowMs();
    const secret = ports.secrets.newSecret();
    const secrets = rotate(
      liveSecrets(endpoint.secrets, now),
      { sealed: await ports.secrets.seal(secret, owner), createdAtMs: now },
      now,
    );
    // Secrets are never written down: the record names each by when it was made.
    const current = endpoint.secrets.find((s) => s.expiresAtMs === undefined);
    const written = await ports.endpoints.put(
      { ...endpoint, secrets, updatedAtMs: now, revision: endpoint.revision + 1 },
      endpoint.revision,
      {
        subject: owner,
        action: "webhook-endpoint.secret-rotated",
        actor,
        at: recordInstant(now),
        from: current ? `secret of ${recordInstant(current.createdAtMs)}` : "no current secret",
        to: `secret of ${recordInstant(now)}`,
      },
    );
    if (written)
      return {
        secret,
        previousSecretExpiresAt: toUtcIso(secrets[1]?.expiresAtMs ?? now),
      };
  }
  throw new ConflictError("IDEMPOTENCY_IN_PROGRESS", "The endpoint is being changed; retry.");
}

/** 409 when the owner has no enabled endpoint (test and manual retry need one). */
export async function enabledEndpointOf(
  ports: { endpoints: Pick<WebhookEndpointStore, "get"> },
  owner: string,
) {
  const endpoint = await ports.endpoints.get(owner);
  if (endpoint?.status !== "enabled" || !endpoint)
    throw new ConflictError(
      "WEBHOOK_ENDPOINT_NOT_CONFIGURED",
      "There is no enabled webhook endpoint: PUT /webhook-endpoint first.",
    );
  return endpoint;
}

/**
 * `POST /webhook-endpoint/test`: a `webhook.test` event (`data` {}) for the owner, subject a
 * random nonce (R-NOTIFY-3 §19), through the outbox like any event; answers its delivery id.
 */
export async function testEndpoint(ports: EndpointPorts, owner: string) {
  await enabledEndpointOf(ports, owner);
  const nonce = ports.ids.newId("token");
  const event = platformEvent({
    type: "webhook.test",
    recipient: owner,
    subject: nonce,
    label: nonce,
    version: null,
    timestampMs: ports.clock.nowMs(),
    data: {},
  });
  await ports.outbox.append(`test:${nonce}`, [event]);
  return { deliveryId: deliveryIdOf(event.id, owner) };
}
