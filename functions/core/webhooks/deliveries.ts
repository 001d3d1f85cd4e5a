import type { Actor } from "../access/roles";
import { NotFoundError } from "../errors";
import type { Page, PageRequest } from "../model/paging";
import { recordInstant, toUtcIso } from "../model/settlement-periods";
import type { Clock, DeliveryFilter, DeliveryStore, WebhookEndpointStore } from "../ports";
import { enabledEndpointOf } from "./endpoints";
import type { WebhookDelivery } from "./model";

/** The delivery log (R-NOTIFY-8): an owner's deliveries and attempts, and manual retries. */
export interface DeliveryLogPorts {
  clock: Clock;
  deliveries: DeliveryStore;
  endpoints: Pick<WebhookEndpointStore, "get">;
}

/** A delivery as `GET /webhook-deliveries` lists it. */
export function deliveryView(d: WebhookDelivery) {
  const last = d.attempts.at(-1);
  return {
    deliveryId: d.deliveryId,
    eventId: d.eventId,
    type: d.type,
    status: d.status,
    createdAt: toUtcIso(d.createdAtMs),
    attemptCount: d.attemptCount,
    ...(d.lastAttemptAtMs !== undefined ? { lastAttemptAt: toUtcIso(d.lastAttemptAtMs) } : {}),
    ...(last?.statusCode !== undefined ? { lastStatusCode: last.statusCode } : {}),
    ...(d.status === "pending" && d.nextAttemptAtMs !== undefined
      ? { nextAttemptAt: toUtcIso(d.nextAttemptAtMs) }
      : {}),
  };
}

/** `GET /webhook-deliveries/{id}`: the item, the exact body sent and the attempts. */
export function deliveryDetailView(d: WebhookDelivery) {
  return {
    ...deliveryView(d),
    body: d.body,
    attempts: d.attempts.map((a) => ({
      at: toUtcIso(a.atMs),
      ...(a.statusCode !== undefined ? { statusCode: a.statusCode } : {}),
      ...(a.error !== undefined ? { error: a.error } : {}),
      durationMs: a.durationMs,
      ...(a.manual ? { manual: true } : {}),
    })),
  };
}

export async function listDeliveries(
  ports: DeliveryLogPorts,
  owner: string,
  filter: DeliveryFilter,
  page: PageRequest,
): Promise<Page<ReturnType<typeof deliveryView>>> {
  const found = await ports.deliveries.list(owner, filter, page);
  return {
    items: found.items.map(deliveryView),
    ...(found.nextToken ? { nextToken: found.nextToken } : {}),
  };
}

/** Another owner's delivery is a 404, exactly as a missing one (R-NOTIFY-8: own only). */
async function ownDelivery(ports: DeliveryLogPorts, owner: string, deliveryId: string) {
  const delivery = await ports.deliveries.get(deliveryId);
  if (!delivery || delivery.owner !== owner) throw new NotFoundError("The delivery");
  return delivery;
}

export async function getDelivery(ports: DeliveryLogPorts, owner: string, deliveryId: string) {
  return deliveryDetailView(await ownDelivery(ports, owner, deliveryId));
}

/**
 * `POST /webhook-deliveries/{id}/retry` (R-NOTIFY-8 §19): one attempt now, with the same id and
 * body, in any state; it needs an enabled endpoint (409 `WEBHOOK_ENDPOINT_NOT_CONFIGURED`).
 * The request is recorded (with its audit record) and made by the dispatcher at once.
 */
export async function retryDelivery(
  ports: DeliveryLogPorts,
  owner: string,
  deliveryId: string,
  actor: Actor,
) {
  const delivery = await ownDelivery(ports, owner, deliveryId);
  await enabledEndpointOf(ports, owner);
  const now = ports.clock.nowMs();
  await ports.deliveries.requestRetry(delivery, now, {
    subject: owner,
    action: "webhook-delivery.retry-requested",
    actor,
    at: recordInstant(now),
    from: delivery.status,
    to: "retry requested",
    reason: deliveryId,
  });
  return { deliveryId, status: "pending" as const, nextAttemptAt: toUtcIso(now) };
}
