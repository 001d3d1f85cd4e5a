import pLimit from "p-limit";
import { recordInstant } from "../model/settlement-periods";
import type {
  Clock,
  DeliveryStore,
  IdGenerator,
  Outbox,
  OutboxRecord,
  RandomSource,
  SealedSecret,
  SecretBox,
  Sleeper,
  WebhookEndpointStore,
  WebhookSettings,
  WebhookTransport,
} from "../ports";
import {
  afterAttempt,
  deliveryIdOf,
  liveSecrets,
  type OutboxEvent,
  ownersOf,
  subscribes,
  type WebhookDelivery,
  type WebhookEndpoint,
  webhookTarget,
} from "./model";

/**
 * The dispatcher (R-NOTIFY-3..8): fans outbox events out to deliveries — one per event and
 * endpoint owner, created once, `undeliverable` where the owner has no enabled endpoint taking
 * the type — and makes attempts under a lease: the first at once (from the stream consumer), the
 * later ones when due (from the schedule consumer), each recorded with its outcome.
 */
export interface DispatchPorts {
  clock: Clock;
  ids: IdGenerator;
  random: RandomSource;
  sleeper: Sleeper;
  outbox: Pick<Outbox, "gatedEvents">;
  endpoints: Pick<WebhookEndpointStore, "get" | "put">;
  deliveries: DeliveryStore;
  secrets: Pick<SecretBox, "open">;
  transport: Pick<WebhookTransport, "send">;
  webhookSettings: WebhookSettings;
}

/** How long the invocation may still start attempts (Lambda's remaining time, less a margin). */
export interface Budget {
  remainingMs(): number;
}

/** Endpoints read once per run (an endpoint changed meanwhile is read again next run). */
class EndpointCache {
  private readonly byOwner = new Map<string, Promise<WebhookEndpoint<SealedSecret> | undefined>>();
  constructor(private readonly ports: Pick<DispatchPorts, "endpoints">) {}
  get(owner: string) {
    let found = this.byOwner.get(owner);
    if (!found) {
      found = this.ports.endpoints.get(owner);
      this.byOwner.set(owner, found);
    }
    return found;
  }
  forget(owner: string) {
    this.byOwner.delete(owner);
  }
}

/** The deliveries of some events: one per owner the event goes to (D-161). */
async function deliveriesOf(
  events: ReadonlyArray<OutboxEvent>,
  endpoints: EndpointCache,
  nowMs: number,
): Promise<WebhookDelivery[]> {
  const out: WebhookDelivery[] = [];
  for (const event of events)
    for (const { owner, optional } of ownersOf(event)) {
      const endpoint = await endpoints.get(owner);
      if (optional && !endpoint) continue;
      const deliverable = endpoint !== undefined && subscribes(endpoint, event.type);
      out.push({
        deliveryId: deliveryIdOf(event.eventId, owner),
        eventId: event.eventId,
        owner,
        type: event.type,
        status: deliverable ? "pending" : "undeliverable",
        createdAtMs: nowMs,
        body: event.body,
        attemptCount: 0,
        scheduledAttempts: 0,
        attempts: [],
        ...(deliverable ? { nextAttemptAtMs: nowMs } : {}),
      });
    }
  return out;
}

/** One claimed delivery to attempt, and whether the attempt is a manual retry. */
interface Claimed {
  delivery: WebhookDelivery;
  token: string;
  manual: boolean;
}

/**
 * The stream consumer's work: the outbox records of one batch, in order. Events (ungated) and
 * released changes (their gated events) become deliveries; retry requests are claimed. Then the
 * first attempts are made while the budget lasts; what is left is given back (due at once) for
 * the schedule consumer. Returns the index of the first record that could not be processed
 * (the stream delivers it again from there), or undefined.
 */
export async function dispatchRecords(
  ports: DispatchPorts,
  records: ReadonlyArray<OutboxRecord>,
  budget: Budget,
): Promise<{ failedFrom: number | undefined; attempted: number }> {
  const endpoints = new EndpointCache(ports);
  const lease = () => ({
    token: ports.ids.newId("token"),
    untilMs: ports.clock.nowMs() + ports.webhookSettings.leaseMs,
  });
  const claimed: Claimed[] = [];
  let failedFrom: number | undefined;
  for (const [index, record] of records.entries()) {
    try {
      if (record.kind === "retry") {
        const held = lease();
        const delivery = await ports.deliveries.claim(record.deliveryId, held, ports.clock.nowMs());
        // Not claimable: already retried, or another dispatcher holds it (it stays due for it).
        if (delivery) claimed.push({ delivery, token: held.token, manual: true });
        continue;
      }
      const events =
        record.kind === "event"
          ? record.gated
            ? []
            : [record.event]
          : await ports.outbox.gatedEvents(record.changeId);
      if (events.length === 0) continue;
      const deliveries = await deliveriesOf(events, endpoints, ports.clock.nowMs());
      const held = lease();
      const created = await ports.deliveries.createAll(deliveries, held);
      for (const d of deliveries)
        if (created.has(d.deliveryId) && d.status === "pending")
          claimed.push({ delivery: d, token: held.token, manual: false });
    } catch (error) {
      failedFrom = index;
      if (claimed.length === 0) throw error;
      break;
    }
  }
  const attempted = await attemptAll(ports, claimed, endpoints, budget);
  return { failedFrom, attempted };
}

/**
 * The schedule consumer's work: until the budget runs out, claims the deliveries that are due
 * and attempts them, pausing `pollMs` when none are. Returns the attempts made.
 */
export async function dispatchDue(ports: DispatchPorts, budget: Budget): Promise<number> {
  const settings = ports.webhookSettings;
  const reserve = settings.timeoutMs + 5_000;
  let attempted = 0;
  // Idle looks back off from pollMs to 8 × pollMs (at most 2 s), and start again at pollMs
  // once something was due: an idle dispatcher costs few reads.
  let idle = 0;
  while (budget.remainingMs() > reserve) {
    const endpoints = new EndpointCache(ports);
    const due = await ports.deliveries.due(ports.clock.nowMs(), settings.concurrency * 4);
    const claimed: Claimed[] = [];
    await Promise.all(
      due.map(async (deliveryId) => {
        const token = ports.ids.newId("token");
        const now = ports.clock.nowMs();
        const delivery = await ports.deliveries.claim(
          deliveryId,
          { token, untilMs: now + settings.leaseMs },
          now,
        );
        if (delivery)
          claimed.push({
            delivery,
            token,
            manual: delivery.retryRequestedAtMs !== undefined && delivery.retryRequestedAtMs <= now,
          });
      }),
    );
    if (claimed.length === 0) {
      idle = Math.min(idle + 1, 3);
      await ports.sleeper.sleep(
        Math.min(settings.pollMs * 2 ** (idle - 1), Math.max(settings.pollMs, 2_000)),
      );
      continue;
    }
    idle = 0;
    attempted += await attemptAll(ports, claimed, endpoints, budget);
  }
  return attempted;
}

/** Attempts the claimed deliveries, a bounded number at once (and per endpoint). */
async function attemptAll(
  ports: DispatchPorts,
  claimed: ReadonlyArray<Claimed>,
  endpoints: EndpointCache,
  budget: Budget,
): Promise<number> {
  const settings = ports.webhookSettings;
  const reserve = settings.timeoutMs + 5_000;
  const all = pLimit(settings.concurrency);
  const perOwner = new Map<string, ReturnType<typeof pLimit>>();
  let attempted = 0;
  await Promise.all(
    claimed.map((c) => {
      let owner = perOwner.get(c.delivery.owner);
      if (!owner) {
        owner = pLimit(settings.perEndpoint);
        perOwner.set(c.delivery.owner, owner);
      }
      return owner(() =>
        all(async () => {
          if (budget.remainingMs() <= reserve) {
            await ports.deliveries.release(c.delivery.deliveryId, c.token);
            return;
          }
          attempted += 1;
          await attemptOne(ports, c, endpoints);
        }),
      );
    }),
  );
  return attempted;
}

/**
 * One attempt of a claimed delivery (R-NOTIFY-5/6): to the owner's endpoint as it is now, signed
 * with its live secrets, the outcome recorded. No endpoint (deleted), or one that no longer takes
 * the type: `undeliverable`; disabled by a 410: `failed`. A 410 disables the endpoint and fails
 * its pending deliveries.
 */
async function attemptOne(ports: DispatchPorts, c: Claimed, endpoints: EndpointCache) {
  const { delivery, token, manual } = c;
  const endpoint = await endpoints.get(delivery.owner);
  if (!endpoint || !subscribes(endpoint, delivery.type)) {
    if (manual && delivery.status !== "pending") {
      await ports.deliveries.release(delivery.deliveryId, token);
      return;
    }
    await ports.deliveries.settle(
      delivery.deliveryId,
      token,
      endpoint?.disabledReason === "gone" ? "failed" : "undeliverable",
    );
    return;
  }
  const checked = webhookTarget(endpoint.url, ports.webhookSettings.urlPolicy);
  const now = ports.clock.nowMs();
  const secrets = await Promise.all(
    liveSecrets(endpoint.secrets, now).map((s) => ports.secrets.open(s.sealed, endpoint.owner)),
  );
  const sent =
    "refused" in checked
      ? { error: "address-not-allowed" as const, durationMs: 0 }
      : await ports.transport.send({
          target: checked.target,
          eventId: delivery.eventId,
          body: delivery.body,
          secrets,
          timeoutMs: ports.webhookSettings.timeoutMs,
        });
  const update = afterAttempt(
    delivery,
    { ...sent, startedAtMs: now },
    {
      manual,
      delaysMs: ports.webhookSettings.retryDelaysMs,
      jitter: ports.random.fraction(),
    },
  );
  await ports.deliveries.complete(delivery, token, update);
  if (update.gone) await disableGone(ports, endpoint, endpoints);
}

/** R-NOTIFY-6: a 410 disables the endpoint (reason `gone`) and fails its pending deliveries. */
async function disableGone(
  ports: DispatchPorts,
  endpoint: WebhookEndpoint<SealedSecret>,
  endpoints: EndpointCache,
) {
  const now = ports.clock.nowMs();
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const current = attempt === 0 ? endpoint : await ports.endpoints.get(endpoint.owner);
    if (!current || current.status === "disabled") break;
    const written = await ports.endpoints.put(
      {
        ...current,
        status: "disabled",
        disabledReason: "gone",
        updatedAtMs: now,
        revision: current.revision + 1,
      },
      current.revision,
      {
        subject: endpoint.owner,
        action: "webhook-endpoint.disabled",
        actor: { role: "system", principalId: "webhook-dispatcher" },
        at: recordInstant(now),
        from: current.status,
        to: "disabled",
        reason: "the receiver answered 410 Gone",
      },
    );
    if (written) break;
  }
  endpoints.forget(endpoint.owner);
  // One being attempted right now is left to its dispatcher: its next attempt finds the
  // endpoint gone and fails it then.
  for (const deliveryId of await ports.deliveries.pendingOf(endpoint.owner))
    await ports.deliveries.settleIdle(deliveryId, "failed", now);
}
