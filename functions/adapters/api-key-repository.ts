import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { ApiKeyRecord } from "../core/access/api-key";
import type { ApiKeyStore } from "../core/ports";
import { keys } from "./keys";

/** API keys by the hash of the key (never the key), and the bootstrapped operator and ANM keys. */
export class ApiKeyRepository implements ApiKeyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The key with this hash, if one was issued. Strongly consistent so revocation is immediate. */
  async findByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.apiKey(keyHash),
        ConsistentRead: true,
      }),
    );
    if (Item === undefined) return undefined;
    return {
      keyHash: Item.keyHash,
      role: Item.role,
      principalId: Item.principalId,
      status: Item.status,
      createdAt: Item.createdAt,
    };
  }

  /** Stores a new key; refuses to overwrite an existing one. */
  async put(record: ApiKeyRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.apiKey(record.keyHash), type: "ApiKey", ...record },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }

  /**
   * Makes `record` the one bootstrapped key of its role (operator, ANM): stores it and deletes
   * the key it replaces, in one transaction. Re-running with the same key changes nothing.
   */
  async replaceBootstrapKey(record: ApiKeyRecord): Promise<void> {
    const pointer = keys.bootstrapKey(record.role);
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: pointer, ConsistentRead: true }),
    );
    const previousHash: string | undefined = Item?.keyHash;
    if (previousHash === record.keyHash) return;
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...keys.apiKey(record.keyHash), type: "ApiKey", ...record },
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...pointer,
                type: "BootstrapKey",
                role: record.role,
                keyHash: record.keyHash,
              },
            },
          },
          ...(previousHash === undefined
            ? []
            : [{ Delete: { TableName: this.tableName, Key: keys.apiKey(previousHash) } }]),
        ],
      }),
    );
  }
}
