import { platformEvent } from "../functions/core/events/platform-event";
import { deps } from "../functions/runtime/deps";
import { type ApiClient, onboard, type Trader } from "../lib/client/api-client";
import { WebhookReceivers } from "../lib/client/webhook-receiver";
import { startLocalStack } from "../lib/local/local-stack";
import { REPO_ROOT } from "../lib/repo-root";
import { sharedDynamoDbOf } from "./shared-dynamodb";

/**
 * The `webhooks` section (reliability.md WH, load): `events` events fanned out to `receivers`
 * real local receivers — one slow, one that always fails — through the outbox writer the state
 * changes use (changes of 200 events: gated batches, released last), the stream dispatcher and
 * the retry consumer, with the R-NOTIFY-6 delays shortened by configuration. Every delivery
 * must end `succeeded` or (the failing receiver's) `failed` after 10 attempts: none lost.
 */
export interface WebhookLoad {
  events: number;
  receivers: number;
  /** The slow receiver's answer time. */
  slowMs: number;
}

export interface WebhookResult {
  events: number;
  receivers: number;
  /** Events from the first change written to the last delivery settled, per second. */
  eventsPerSecond: number;
  /** From an event's state change to its first attempt reaching the receiver. */
  p50FirstAttemptMs: number;
  p99FirstAttemptMs: number;
  attempts: number;
  attemptsPerEvent: number;
  succeeded: number;
  failed: number;
  /** Deliveries neither succeeded nor failed at the end: must be 0. */
  lost: number;
  wallMs: number;
}

const EVENTS_PER_CHANGE = 200;

export async function runWebhookLoad(
  api: ApiClient,
  operatorKey: string,
  load: WebhookLoad,
  log: (message: string) => void,
): Promise<WebhookResult> {
  const receivers = await new WebhookReceivers().start();
  try {
    const traders: Trader[] = [];
    for (let i = 0; i < load.receivers; i += 1) {
      const trader = await onboard(api, operatorKey, {
        name: `LOAD${i}`,
        anmSchemeId: "LOAD-ANM",
        entryIds: [`L-${i}`],
      });
      receivers.script(
        `/r${i}`,
        i === 0 ? { delayMs: load.slowMs } : i === 1 ? { statuses: [500] } : {},
      );
      await api.expect(201, "PUT", "/webhook-endpoint", {
        key: trader.apiKey,
        body: { url: receivers.url(`/r${i}`) },
      });
      traders.push(trader);
    }
    log(`webhooks: ${load.receivers} receivers registered (r0 slow, r1 failing)`);
    const started = Date.now();
    for (let c = 0; c * EVENTS_PER_CHANGE < load.events; c += 1) {
      const events = [];
      for (
        let k = c * EVENTS_PER_CHANGE;
        k < Math.min(load.events, (c + 1) * EVENTS_PER_CHANGE);
        k += 1
      ) {
        const trader = traders[k % traders.length]!;
        events.push(
          platformEvent({
            type: "trade.confirmed",
            recipient: trader.participantId,
            subject: `trd-load-${k}`,
            label: `trd-load-${k}`,
            version: null,
            timestampMs: Date.now(),
            data: {
              tradeId: `trd-load-${k}`,
              marketId: "mkt-load",
              deliveryDate: "2027-06-14",
              side: "sell",
              entryId: `L-${k % traders.length}`,
              counterpartyEntryId: "G4-A",
              quantityMw: 1.5,
              availabilityPrice: 14,
              utilisationPrice: 32,
              windowStart: "2027-06-14T11:00:00Z",
              windowEnd: "2027-06-14T13:00:00Z",
            },
          }),
        );
      }
      await deps.outbox.append(`load:${started}:${c}`, events);
    }
    log(`webhooks: ${load.events} events written in ${Date.now() - started} ms`);
    // Progress is watched at the receivers (what they were sent), not through the delivery
    // log: listing 10,000 deliveries every few seconds through the API would load the same
    // process, DynamoDB Local and the dispatcher it measures. The log is read when the
    // receivers have seen every event settle, and again until nothing in it is pending.
    const deadline = Date.now() + 30 * 60_000;
    for (;;) {
      const seen = new Map<string, { ok: boolean; attempts: number }>();
      for (const r of receivers.requests) {
        const id = String(r.headers["webhook-id"]);
        const s = seen.get(id) ?? { ok: false, attempts: 0 };
        s.attempts += 1;
        s.ok ||= r.status >= 200 && r.status < 300;
        seen.set(id, s);
      }
      const done = [...seen.entries()].filter(([, s]) => s.ok || s.attempts >= 10).length;
      if (done >= load.events || Date.now() > deadline) break;
      log(`webhooks: ${done} of ${load.events} settled at the receivers`);
      await new Promise((wake) => setTimeout(wake, 1_000));
    }
    let settled: { status: string; attemptCount: number }[] = [];
    for (;;) {
      settled = [];
      for (const trader of traders) {
        let nextToken: string | undefined;
        do {
          const page: { items: { status: string; attemptCount: number }[]; nextToken?: string } =
            await api.expect(
              200,
              "GET",
              `/webhook-deliveries?limit=100${nextToken ? `&nextToken=${nextToken}` : ""}`,
              { key: trader.apiKey },
            );
          settled.push(...page.items);
          nextToken = page.nextToken;
        } while (nextToken);
      }
      const open = settled.filter((d) => d.status === "pending").length;
      if ((settled.length >= load.events && open === 0) || Date.now() > deadline) break;
      log(`webhooks: ${settled.length - open} of ${load.events} settled in the delivery log`);
      await new Promise((wake) => setTimeout(wake, 2_000));
    }
    const wallMs = Date.now() - started;
    const firsts = new Map<string, number>();
    for (const r of receivers.requests) {
      const body = JSON.parse(r.body) as { id: string; timestamp: string };
      const latency = r.atMs - Date.parse(body.timestamp);
      if (!firsts.has(body.id)) firsts.set(body.id, latency);
    }
    const latencies = [...firsts.values()].sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
    const attempts = settled.reduce((n, d) => n + d.attemptCount, 0);
    const succeeded = settled.filter((d) => d.status === "succeeded").length;
    const failed = settled.filter((d) => d.status === "failed").length;
    return {
      events: load.events,
      receivers: load.receivers,
      eventsPerSecond: Math.round((load.events / wallMs) * 1000 * 10) / 10,
      p50FirstAttemptMs: pct(0.5),
      p99FirstAttemptMs: pct(0.99),
      attempts,
      attemptsPerEvent: Math.round((attempts / load.events) * 1000) / 1000,
      succeeded,
      failed,
      lost: load.events - succeeded - failed,
      wallMs,
    };
  } finally {
    await receivers.stop();
  }
}

/** The bench section: a stack of its own (bench/stack-section.ts runs it in its own process). */
export async function benchWebhooks(load: WebhookLoad, log: (message: string) => void) {
  process.env.POWERTOOLS_LOG_LEVEL = "ERROR";
  process.env.WEBHOOK_RETRY_DELAYS_MS = Array(9).fill(200).join(",");
  process.env.WEBHOOK_POLL_MS = "100";
  process.env.WEBHOOK_DNS_SERVERS = "127.0.0.1:9";
  const stack = await startLocalStack({
    root: REPO_ROOT,
    inMemory: true,
    ...sharedDynamoDbOf("webhooks"),
    scheduleOverrides: { WebhookRetries: 200 },
  });
  try {
    const { ApiClient } = await import("../lib/client/api-client");
    return await runWebhookLoad(new ApiClient(stack.url), stack.keys.operator, load, log);
  } finally {
    await stack.stop();
  }
}
