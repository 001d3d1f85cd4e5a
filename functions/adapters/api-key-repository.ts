import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { Role } from "../http/auth/roles";
import { keys } from "./keys";

/** An issued API key as stored: the hash only, never the key. */
export interface ApiKeyRecord {
  readonly keyHash: string;
  readonly role: Role;
  /** Who the key speaks for: a participant id, or the role name for operator/ANM keys. */
  readonly principalId: string;
  readonly status: "active" | "revoked";
  readonly createdAt: string;
}

export class ApiKeyRepository {
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
