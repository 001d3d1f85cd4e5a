import { describe, expect, it } from "vitest";
import { runWebhookLoad } from "../../bench/webhooks";
import { useLocalStack } from "../support/use-local-stack";

/**
 * reliability.md WH, load at CI size (the bench's `webhooks` section runs 10,000 events to 50
 * receivers): 1,000 events to 10 real local receivers, one slow and one failing, through the
 * outbox writer's gated batches, the stream dispatcher and the retry consumer. Every delivery
 * ends `succeeded`, or `failed` after 10 attempts for the failing receiver: none lost.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";
process.env.WEBHOOK_RETRY_DELAYS_MS = Array(9).fill(200).join(",");
process.env.WEBHOOK_POLL_MS = "100";
process.env.WEBHOOK_DNS_SERVERS = "127.0.0.1:9";
const local = useLocalStack({ scheduleOverrides: { WebhookRetries: 200 } });

describe("1,000 events to 10 receivers (one slow, one failing)", () => {
  it("delivers or fails every one by the schedule, none lost", async () => {
    const result = await runWebhookLoad(
      local.api,
      local.stack.keys.operator,
      { events: 1_000, receivers: 10, slowMs: 500 },
      () => undefined,
    );
    process.stdout.write(`[WH] load: ${JSON.stringify(result)}\n`);
    expect(result.lost).toBe(0);
    expect(result.failed).toBe(100);
    expect(result.succeeded).toBe(900);
    // 900 first-time successes and 100 × 10 attempts for the failing receiver.
    expect(result.attempts).toBe(900 + 100 * 10);
  }, 600_000);
});
