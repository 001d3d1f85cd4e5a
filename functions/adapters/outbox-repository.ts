import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Notification, Outbox } from "../core/ports";
import { applyConditionalWrites } from "./conditional-writes";
import { marketKeys } from "./keys";

/** Participant notifications as outbox records; a later delivery step sends them. */
export class OutboxRepository implements Outbox {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Conditional puts, so a re-run never rewrites a stored record (a stream consumer would see it
   * as a second event); up to 100 a request.
   */
  async notifyAll(notifications: Notification[]): Promise<void> {
    await applyConditionalWrites(
      this.client,
      notifications.map(({ participantId, eventId, event, atMs }) => ({
        Put: {
          TableName: this.tableName,
          Item: {
            ...marketKeys.outbox(participantId, eventId),
            participantId,
            eventId,
            event,
            atMs,
            delivered: false,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      })),
    );
  }
}
