import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { dispatchRecords } from "../../core/webhooks/dispatch";
import { parseOutboxRecord } from "../../core/webhooks/outbox-records";
import { logger } from "../../runtime/logger";
import * as ports from "../../runtime/ports";
import { newImageOf } from "../../runtime/stream-images";
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
 * WebhookDispatcher (CONSUMERS): the table's stream, INSERTs of `OUTBOX#` items only. Each
 * outbox record becomes deliveries and first attempts (R-NOTIFY-3..7); a record that could not
 * be processed is reported as a batch item failure, so the stream delivers it again from there.
 * Attempts the invocation has no time left for are handed to WebhookRetries, due at once.
 */
export const handler = consumerHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>(
  async (event, context) => {
    const records = event.Records.map((record) => parseOutboxRecord(newImageOf(record)));
    const known = records.flatMap((record, index) => (record ? [{ record, index }] : []));
    if (known.length < records.length)
      logger.warn("outbox records of an unknown shape were skipped", {
        skipped: records.length - known.length,
      });
    const { failedFrom, attempted } = await dispatchRecords(
      deps,
      known.map((k) => k.record),
      // Attempts start only while 15 s + 20 s of the invocation are left.
      { remainingMs: () => context.getRemainingTimeInMillis() - 20_000 },
    );
    logger.info("outbox records dispatched", { records: records.length, attempted });
    if (failedFrom === undefined) return { batchItemFailures: [] };
    const sequence = event.Records[known[failedFrom]!.index]!.dynamodb?.SequenceNumber ?? "";
    return { batchItemFailures: [{ itemIdentifier: sequence }] };
  },
);
