import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { processTopologyChanges } from "../../core/use-cases/topology-changes";
import { logger } from "../../runtime/logger";
import * as ports from "../../runtime/ports";
import { newImageOf } from "../../runtime/stream-images";
import { consumerHandler } from "../consumer-handler";

const deps = ports.compose({
  clock: ports.clock,
  participants: ports.participants,
  assets: ports.assets,
  claims: ports.claims,
  schemes: ports.schemes,
  cycles: ports.cycles,
  markets: ports.markets,
  trades: ports.trades,
  meritOrders: ports.meritOrders,
  topologyChanges: ports.topologyChanges,
  alerts: ports.alerts,
});

/**
 * TopologyChanges (CONSUMERS, D-260): the table's stream, INSERTs of `TOPOLOGY#` items. For each
 * scheme-day with a newly received change, applies its changes that are not applied yet, in
 * receive order (R-VERIFY-2). The request that received the change normally did so already and
 * this finds nothing to do; when that request failed or stopped, this is its retry. A scheme-day
 * that fails is reported as a batch item failure, so the stream delivers it again.
 */
export const handler = consumerHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>(
  async (event) => {
    const days = new Map<string, { index: number; anmSchemeId: string; deliveryDate: string }>();
    event.Records.forEach((record, index) => {
      const { anmSchemeId, deliveryDate, topologyChangeId } = newImageOf(record) ?? {};
      if (typeof topologyChangeId !== "string") return;
      if (typeof anmSchemeId !== "string" || typeof deliveryDate !== "string") return;
      const key = `${anmSchemeId}\u0000${deliveryDate}`;
      if (!days.has(key)) days.set(key, { index, anmSchemeId, deliveryDate });
    });
    let failedAt: number | undefined;
    for (const day of days.values()) {
      try {
        const results = await processTopologyChanges(deps, day.anmSchemeId, day.deliveryDate);
        logger.info("topology changes processed", { ...day, applied: results.size });
      } catch (error) {
        logger.error("topology changes of a day failed", {
          ...day,
          error: error instanceof Error ? error.message : String(error),
        });
        failedAt = Math.min(failedAt ?? day.index, day.index);
      }
    }
    if (failedAt === undefined) return { batchItemFailures: [] };
    const sequence = event.Records[failedAt]!.dynamodb?.SequenceNumber ?? "";
    return { batchItemFailures: [{ itemIdentifier: sequence }] };
  },
);
