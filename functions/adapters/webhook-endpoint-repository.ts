import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { AuditEntry } from "../core/access/audit";
import type { SealedSecret, WebhookEndpointStore } from "../core/ports";
import type { WebhookEndpoint } from "../core/webhooks/model";
import type { AuditLog } from "./audit-log";
import { failedConditions, transactWithRetry } from "./dynamo-errors";
import { webhookKeys } from "./keys";
import { withoutKeys } from "./table-io";

/**
 * Webhook endpoints, one item per owner (R-NOTIFY-1 §19). Every write is conditional on the
 * revision read and carries its audit record in the same transaction (D-24); secrets are stored
 * sealed only (R-NOTIFY-2).
 */
export class WebhookEndpointRepository implements WebhookEndpointStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
  ) {}

  async get(owner: string): Promise<WebhookEndpoint<SealedSecret> | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: webhookKeys.endpoint(owner),
        ConsistentRead: true,
      }),
    );
    return Item ? withoutKeys<WebhookEndpoint<SealedSecret>>(Item) : undefined;
  }

  async put(
    endpoint: WebhookEndpoint<SealedSecret>,
    expectedRevision: number | undefined,
    audit: AuditEntry,
  ): Promise<boolean> {
    return this.transact([
      {
        Put: {
          TableName: this.tableName,
          Item: { ...webhookKeys.endpoint(endpoint.owner), type: "WebhookEndpoint", ...endpoint },
          ...(expectedRevision === undefined
            ? { ConditionExpression: "attribute_not_exists(pk)" }
            : {
                ConditionExpression: "revision = :revision",
                ExpressionAttributeValues: { ":revision": expectedRevision },
              }),
        },
      },
      this.audit.transactItem(audit),
    ]);
  }

  async delete(owner: string, expectedRevision: number, audit: AuditEntry): Promise<boolean> {
    return this.transact([
      {
        Delete: {
          TableName: this.tableName,
          Key: webhookKeys.endpoint(owner),
          ConditionExpression: "revision = :revision",
          ExpressionAttributeValues: { ":revision": expectedRevision },
        },
      },
      this.audit.transactItem(audit),
    ]);
  }

  private async transact(
    items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]>,
  ): Promise<boolean> {
    try {
      await transactWithRetry(this.client, () =>
        this.client.send(new TransactWriteCommand({ TransactItems: items })),
      );
      return true;
    } catch (error) {
      if (failedConditions(error)?.includes(0)) return false;
      throw error;
    }
  }
}
