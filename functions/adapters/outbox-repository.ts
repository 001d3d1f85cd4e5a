import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { Outbox } from "../core/ports";
import { marketKeys } from "./keys";
import { isConditionFailure } from "./table-io";

/** Participant notifications as outbox records; a later delivery step sends them. */
export class OutboxRepository implements Outbox {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async notify(
    participantId: string,
    eventId: string,
    event: Record<string, unknown>,
    atMs: number,
  ): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
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
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
