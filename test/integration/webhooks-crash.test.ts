import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboard } from "../../lib/client/api-client";
import { REPO_ROOT } from "../../lib/repo-root";
import { useLocalStack } from "../support/use-local-stack";
import { eventually, verified, WebhookReceivers } from "../support/webhook-receiver";

/**
 * reliability.md WH, the dispatcher killed half-way through a batch. The webhook consumers run
 * in a process of their own (the same handlers and runners, on the same DynamoDB Local stream);
 * it is killed with SIGKILL while attempts are in flight and started again: the stream gives the
 * interrupted batch again (its position was not checkpointed) and the dead dispatcher's leases
 * lapse, so every event is delivered, and an event delivered twice carries the same id and the
 * same body each time. DynamoDB stays up, as the cloud's does when a Lambda dies.
 */
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";
const EVENTS = 30;
const receivers = new WebhookReceivers();
const checkpoints = mkdtempSync(join(tmpdir(), "bitrader-dispatcher-"));
beforeAll(async () => {
  await receivers.start();
  process.env.WEBHOOK_LEASE_MS = "3000";
  process.env.WEBHOOK_POLL_MS = "100";
  process.env.WEBHOOK_PER_ENDPOINT = "4";
  process.env.WEBHOOK_DNS_SERVERS = "127.0.0.1:9";
});
const local = useLocalStack({ withoutConsumers: ["WebhookDispatcher", "WebhookRetries"] });
let dispatcher: ChildProcess | undefined;
afterAll(async () => {
  if (dispatcher?.pid) process.kill(-dispatcher.pid, "SIGKILL");
  await receivers.stop();
  rmSync(checkpoints, { recursive: true, force: true });
});

/** The webhook consumers in their own process group; resolves once it says `ready`. */
async function startDispatcher(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/fixtures/local/dispatcher-process.ts"],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, CHECKPOINT_DIR: checkpoints },
      detached: true,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the dispatcher exited (${code})`)));
  });
  return child;
}

describe("a dispatcher killed mid-batch", () => {
  it("delivers every pending event after the restart, none twice with different bodies", async () => {
    receivers.script("/victim", { delayMs: 400 });
    dispatcher = await startDispatcher();
    const trader = await onboard(local.api, local.stack.keys.operator, {
      name: "VICTIM",
      anmSchemeId: "CRASH-ANM",
      entryIds: ["C-1"],
    });
    const { secret } = await local.api.expect(201, "PUT", "/webhook-endpoint", {
      key: trader.apiKey,
      body: { url: receivers.url("/victim") },
    });
    const ids: string[] = [];
    for (let i = 0; i < EVENTS; i += 1)
      ids.push(
        (await local.api.expect(202, "POST", "/webhook-endpoint/test", { key: trader.apiKey }))
          .deliveryId,
      );
    // Killed while sending: some answered, more in flight, the rest not started.
    await eventually(
      () => receivers.at("/victim").length,
      (n) => n >= 4,
      "the first answers",
    );
    const killed = dispatcher;
    process.kill(-killed.pid!, "SIGKILL");
    await new Promise((resolve) => killed.once("exit", resolve));
    const before = receivers.at("/victim").length;
    expect(before).toBeLessThan(EVENTS);

    receivers.script("/victim", {});
    dispatcher = await startDispatcher();
    const succeeded = await eventually(
      async () =>
        (
          await local.api.expect(200, "GET", "/webhook-deliveries?status=succeeded", {
            key: trader.apiKey,
          })
        ).items as { deliveryId: string }[],
      (items) => items.length === EVENTS,
      "every delivery to succeed",
      90_000,
    );
    expect(succeeded.map((d) => d.deliveryId).sort()).toEqual([...ids].sort());
    const byEvent = new Map<string, Set<string>>();
    for (const r of receivers.at("/victim")) {
      const event = verified(r, secret);
      const bodies = byEvent.get(event.id) ?? new Set<string>();
      bodies.add(r.body);
      byEvent.set(event.id, bodies);
    }
    expect(byEvent.size).toBe(EVENTS);
    for (const bodies of byEvent.values()) expect(bodies.size).toBe(1);
    process.stdout.write(
      `[WH] crash: ${before} answered before the kill, ${receivers.at("/victim").length} requests for ${EVENTS} events in all\n`,
    );
  }, 180_000);
});
