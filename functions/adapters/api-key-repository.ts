import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { type ApiKeyRecord, keyIdOf } from "../core/access/api-key";
import type { AuditEntry } from "../core/access/audit";
import type { Actor } from "../core/access/roles";
import type { Page, PageRequest } from "../core/model/paging";
import { recordInstant } from "../core/model/settlement-periods";
import type { ApiKeyStore } from "../core/ports";
import type { AuditLog } from "./audit-log";
import { failedConditions, isConditionFailure } from "./dynamo-errors";
import { accessKeys, keys } from "./keys";
import { queryPage } from "./page-token";

/** The record of a stored key item; a key stored before keys had ids gets its derived id. */
export function toKeyRecord(item: Record<string, unknown>): ApiKeyRecord {
  const keyHash = String(item.keyHash);
  const optional = (name: string) =>
    typeof item[name] === "string" ? { [name]: item[name] as string } : {};
  return {
    keyHash,
    keyId: typeof item.keyId === "string" ? item.keyId : keyIdOf(keyHash),
    role: item.role as ApiKeyRecord["role"],
    principalId: String(item.principalId),
    status: item.status as ApiKeyRecord["status"],
    createdAt: String(item.createdAt),
    ...optional("name"),
    ...optional("anmSchemeId"),
    ...optional("lastUsedAt"),
    ...optional("revokedAt"),
  };
}

/** The items that store a key: the key by its hash (listed by creation) and its id → hash pointer. */
export function keyItems(tableName: string, record: ApiKeyRecord) {
  return [
    {
      Put: {
        TableName: tableName,
        Item: {
          ...keys.apiKey(record.keyHash),
          ...accessKeys.apiKeyListing(record.createdAt, record.keyId),
          type: "ApiKey",
          ...record,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: { ...keys.apiKeyId(record.keyId), type: "ApiKeyId", keyHash: record.keyHash },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
  ];
}

/**
 * The update that revokes a stored key: conditional on it being active (and, with
 * `principalId`, on being that principal's), or with `ifActive` false only on it existing (a key
 * already revoked stays as it is).
 */
export function revokeItem(
  tableName: string,
  keyHash: string,
  at: string,
  options: { ifActive: boolean; principalId?: string } = { ifActive: true },
) {
  const conditions = ["attribute_exists(pk)"];
  if (options.ifActive) conditions.push("#status = :active");
  if (options.principalId !== undefined) conditions.push("principalId = :principal");
  return {
    Update: {
      TableName: tableName,
      Key: keys.apiKey(keyHash),
      UpdateExpression: "SET #status = :revoked, revokedAt = if_not_exists(revokedAt, :at)",
      ConditionExpression: conditions.join(" AND "),
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":revoked": "revoked",
        ":at": at,
        ...(options.ifActive ? { ":active": "active" } : {}),
        ...(options.principalId === undefined ? {} : { ":principal": options.principalId }),
      },
    },
  };
}

/** How often a key's `lastUsedAt` is written at most (D-197). */
const TOUCH_EVERY_MS = 60_000;

/**
 * API keys by the hash of the key (never the key): looked up by hash on every request, by id for
 * revocation (a pointer item written with the key), listed by creation time (gsi1), and the
 * bootstrapped operator and ANM keys of the local stack.
 */
export class ApiKeyRepository implements ApiKeyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
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
    return Item === undefined ? undefined : toKeyRecord(Item);
  }

  async findById(keyId: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.apiKeyId(keyId),
        ConsistentRead: true,
      }),
    );
    return typeof Item?.keyHash === "string" ? this.findByHash(Item.keyHash) : undefined;
  }

  async issue(record: ApiKeyRecord, audit: AuditEntry): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [...keyItems(this.tableName, record), this.audit.transactItem(audit)],
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
    if (previousHash === record.keyHash && (await this.findById(record.keyId)) !== undefined)
      return;
    const previous = previousHash === undefined ? undefined : await this.findByHash(previousHash);
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          ...keyItems(this.tableName, record).map((item) => ({
            Put: { TableName: item.Put.TableName, Item: item.Put.Item },
          })),
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
          ...(previousHash === undefined || previousHash === record.keyHash
            ? []
            : [
                { Delete: { TableName: this.tableName, Key: keys.apiKey(previousHash) } },
                ...(previous === undefined
                  ? []
                  : [
                      { Delete: { TableName: this.tableName, Key: keys.apiKeyId(previous.keyId) } },
                    ]),
              ]),
        ],
      }),
    );
  }

  async list(page: PageRequest): Promise<Page<ApiKeyRecord>> {
    return queryPage(
      this.client,
      this.tableName,
      { index: "gsi1", attribute: "gsi1pk", value: accessKeys.allApiKeys() },
      page,
      toKeyRecord,
    );
  }

  async revoke(keyId: string, at: string, actor: Actor): Promise<ApiKeyRecord | undefined> {
    const record = await this.findById(keyId);
    if (record === undefined) return undefined;
    if (record.status === "revoked") return record;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            revokeItem(this.tableName, record.keyHash, at),
            this.audit.transactItem({
              subject: record.role === "participant" ? record.principalId : keyId,
              action: "api-key.revoked",
              actor,
              at,
              from: "active",
              to: "revoked",
              reason: `key ${keyId}`,
            }),
          ],
        }),
      );
    } catch (error) {
      // Revoked meanwhile by another request: the outcome is the same.
      if (failedConditions(error)?.includes(0) !== true) throw error;
    }
    return this.findByHash(record.keyHash);
  }

  async touch(keyHash: string, nowMs: number): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.apiKey(keyHash),
          UpdateExpression: "SET lastUsedAt = :now",
          ConditionExpression:
            "attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :before)",
          ExpressionAttributeValues: {
            ":now": recordInstant(nowMs),
            ":before": recordInstant(nowMs - TOUCH_EVERY_MS),
          },
        }),
      );
    } catch (error) {
      // Used within the minute (the condition), or any fault: a request never fails for this.
      if (!isConditionFailure(error)) return;
    }
  }
}
