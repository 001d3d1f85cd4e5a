import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { IdempotencyBegin, IdempotencyBeginInput, IdempotencyRecords } from "../core/ports";
import { isConditionFailure } from "./dynamo-errors";
import { accessKeys } from "./keys";

/**
 * Idempotency records (api.md "Idempotency-Key"), one per (caller, key), by conditional writes
 * only, so that two concurrent requests with one key can never both run:
 *
 * - `begin` puts an `in-progress` record if none exists (or the one there is expired, or is a
 *   lock whose holder died: its `lockedUntil` passed);
 * - `complete` stores the (already encrypted) response, only if this request still holds the lock;
 * - `release` deletes the lock after a failure, so that the client may retry.
 *
 * Records expire with the table's TTL attribute `expiration` (epoch seconds).
 */
export class IdempotencyStore implements IdempotencyRecords {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async begin(input: IdempotencyBeginInput): Promise<IdempotencyBegin> {
    const { scopeHash, fingerprint, token, nowMs, lockMs, ttlSeconds } = input;
    const nowSeconds = Math.floor(nowMs / 1000);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...accessKeys.idempotency(scopeHash),
            type: "IdempotencyRecord",
            status: "in-progress",
            fingerprint,
            token,
            lockedUntil: nowMs + lockMs,
            expiration: nowSeconds + ttlSeconds,
          },
          ConditionExpression:
            "attribute_not_exists(pk) OR expiration < :nowSeconds OR (#status = :inProgress AND lockedUntil < :nowMs)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":nowSeconds": nowSeconds,
            ":nowMs": nowMs,
            ":inProgress": "in-progress",
          },
        }),
      );
      return { outcome: "started", token };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: accessKeys.idempotency(scopeHash),
        ConsistentRead: true,
      }),
    );
    if (Item === undefined) return this.begin(input); // released in between: try again
    return Item.status === "completed"
      ? { outcome: "completed", fingerprint: Item.fingerprint, response: Item.response }
      : { outcome: "in-progress", fingerprint: Item.fingerprint };
  }

  async complete(scopeHash: string, token: string, response: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: accessKeys.idempotency(scopeHash),
          UpdateExpression: "SET #status = :completed, #response = :response REMOVE lockedUntil",
          ConditionExpression: "#token = :token",
          ExpressionAttributeNames: {
            "#status": "status",
            "#response": "response",
            "#token": "token",
          },
          ExpressionAttributeValues: {
            ":completed": "completed",
            ":response": response,
            ":token": token,
          },
        }),
      );
    } catch (error) {
      // Our lock expired and another request took the key: its record stands.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async release(scopeHash: string, token: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: accessKeys.idempotency(scopeHash),
          ConditionExpression: "#token = :token AND #status = :inProgress",
          ExpressionAttributeNames: { "#token": "token", "#status": "status" },
          ExpressionAttributeValues: { ":token": token, ":inProgress": "in-progress" },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
