import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { PlatformEvent } from "../core/events/platform-event";
import type { Outbox } from "../core/ports";
import type { OutboxEvent } from "../core/webhooks/model";
import { writeChange } from "./change-writer";
import { outboxKeys } from "./keys";
import { queryAll } from "./table-io";

/**
 * The outbox (R-NOTIFY-3): events written as items under their change's partition, each created
 * once (`attribute_not_exists`). State changes write theirs through `writeChange` in their own
 * transactions; this writes events that have no other state, and reads a released change's
 * gated events for the dispatcher.
 */
export class OutboxRepository implements Outbox {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(changeId: string, events: ReadonlyArray<PlatformEvent>): Promise<void> {
    await writeChange(this.client, this.tableName, {
      changeId,
      writes: [],
      events: events.map((event) => ({ event })),
    });
  }

  async gatedEvents(changeId: string): Promise<OutboxEvent[]> {
    const items = await queryAll<{ gated?: boolean; event: OutboxEvent }>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :evt)",
      FilterExpression: "gated = :true",
      ExpressionAttributeValues: {
        ":pk": outboxKeys.changePk(changeId),
        ":evt": outboxKeys.eventPrefix,
        ":true": true,
      },
      ConsistentRead: true,
    });
    return items.map((item) => item.event);
  }
}
