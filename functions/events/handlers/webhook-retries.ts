import type { ScheduledEvent } from "aws-lambda";
import { dispatchDue } from "../../core/webhooks/dispatch";
import { logger } from "../../runtime/logger";
import * as ports from "../../runtime/ports";
import { consumerHandler } from "../consumer-handler";

const deps = ports.compose({
  clock: ports.clock,
  ids: ports.ids,
  outbox: ports.outbox,
  endpoints: ports.endpoints,
  deliveries: ports.deliveries,
  secrets: ports.secrets,
  transport: ports.transport,
  webhookSettings: ports.webhookSettings,
  random: ports.random,
  sleeper: ports.sleeper,
});

/**
 * WebhookRetries (CONSUMERS, every minute): makes the webhook attempts that are due — the
 * R-NOTIFY-6 schedule, manual retries (R-NOTIFY-8) and deliveries whose dispatcher died with the
 * lease (it lapses) — looking again every `pollMs` until the invocation's time runs short.
 */
export const handler = consumerHandler<ScheduledEvent, void>(async (_event, context) => {
  const attempted = await dispatchDue(deps, {
    remainingMs: () => context.getRemainingTimeInMillis() - 20_000,
  });
  logger.info("due webhook attempts made", { attempted });
});
