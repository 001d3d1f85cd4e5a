import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { RateLimits } from "../core/ports";
import { isConditionFailure } from "./dynamo-errors";
import { accessKeys } from "./keys";

/**
 * D-150: fixed-window counters in the table — one item per bucket and window, raised by a
 * conditional update that stops at the limit, so racing requests never pass it. Items expire by
 * the table's TTL one window after their own.
 */
export class RateCounters implements RateLimits {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(
    bucket: string,
    windowStartMs: number,
    windowMs: number,
    limit: number,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: accessKeys.rateCounter(bucket, windowStartMs),
          UpdateExpression: "ADD uses :one SET expiration = :expires",
          ConditionExpression: "attribute_not_exists(uses) OR uses < :limit",
          ExpressionAttributeValues: {
            ":one": 1,
            ":limit": limit,
            ":expires": Math.ceil((windowStartMs + 2 * windowMs) / 1000),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
