import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { SchemeSettings } from "../core/config/market-config";
import { settingsOfVersion } from "../core/config/scheme-config";
import type { Page, PageRequest } from "../core/model/paging";
import type {
  NewSchemeVersion,
  SchemeRecord,
  SchemeStore,
  SchemeVersion,
  SchemeVersionOutcome,
} from "../core/ports";
import type { AuditLog } from "./audit-log";
import { failedConditions, isConditionFailure } from "./dynamo-errors";
import { schemeKeys } from "./keys";
import { queryPage } from "./page-token";
import { queryAll } from "./table-io";

interface Head {
  anmSchemeId: string;
  name?: string;
  latestVersion?: number;
  usedThrough?: string;
}

/**
 * The versioned scheme configurations (D-190, D-191): a head item per scheme (name, latest
 * version, the last delivery day with a look-ahead) and one immutable item per version. A version
 * is stored in one transaction with the head's move and its audit record, conditional on the
 * latest version read and on no day from its `effectiveFrom` on having a look-ahead; the
 * look-ahead side moves `usedThrough` forward before it reads the version in force. Reads are
 * strongly consistent.
 */
export class SchemeRepository implements SchemeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
  ) {}

  async settingsFor(
    anmSchemeId: string,
    deliveryDate: string,
  ): Promise<SchemeSettings | undefined> {
    const inForce = (await this.versions(anmSchemeId))
      .filter((v) => v.effectiveFrom <= deliveryDate)
      .at(-1);
    return inForce === undefined ? undefined : settingsOfVersion(inForce.version, inForce.config);
  }

  async get(anmSchemeId: string): Promise<SchemeRecord | undefined> {
    const head = await this.head(anmSchemeId);
    if (head?.latestVersion === undefined || head.name === undefined) return undefined;
    return { anmSchemeId, name: head.name, versions: await this.versions(anmSchemeId) };
  }

  async list(page: PageRequest): Promise<Page<SchemeRecord>> {
    const heads = await queryPage(
      this.client,
      this.tableName,
      { index: "gsi1", attribute: "gsi1pk", value: schemeKeys.allSchemes() },
      page,
      (item) => item as unknown as Head,
    );
    const items = await Promise.all(
      heads.items.map(async (head) => ({
        anmSchemeId: head.anmSchemeId,
        name: head.name ?? head.anmSchemeId,
        versions: await this.versions(head.anmSchemeId),
      })),
    );
    return { items, ...(heads.nextToken ? { nextToken: heads.nextToken } : {}) };
  }

  async putVersion(
    input: NewSchemeVersion,
    expectedLatest: number | undefined,
  ): Promise<SchemeVersionOutcome> {
    const version = (expectedLatest ?? 0) + 1;
    const stored: SchemeVersion = {
      version,
      effectiveFrom: input.effectiveFrom,
      config: input.config,
      createdAt: input.at,
    };
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: schemeKeys.head(input.anmSchemeId),
                UpdateExpression:
                  "SET anmSchemeId = :id, #name = :name, latestVersion = :v, updatedAt = :at, createdAt = if_not_exists(createdAt, :at), gsi1pk = :all, gsi1sk = :id, #type = :type",
                ConditionExpression: `(${
                  expectedLatest === undefined
                    ? "attribute_not_exists(latestVersion)"
                    : "latestVersion = :previous"
                }) AND (attribute_not_exists(usedThrough) OR usedThrough < :from)`,
                ExpressionAttributeNames: { "#name": "name", "#type": "type" },
                ExpressionAttributeValues: {
                  ":id": input.anmSchemeId,
                  ":name": input.name,
                  ":v": version,
                  ":at": input.at,
                  ":all": schemeKeys.allSchemes(),
                  ":type": "SchemeHead",
                  ":from": input.effectiveFrom,
                  ...(expectedLatest === undefined ? {} : { ":previous": expectedLatest }),
                },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...schemeKeys.version(input.anmSchemeId, version),
                  type: "SchemeVersion",
                  anmSchemeId: input.anmSchemeId,
                  ...stored,
                },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            this.audit.transactItem({
              subject: input.anmSchemeId,
              action: version === 1 ? "scheme.registered" : "scheme.version-added",
              actor: input.actor,
              at: input.at,
              to: `version ${version} from ${input.effectiveFrom}`,
            }),
          ],
        }),
      );
      return { outcome: "stored", version };
    } catch (error) {
      const failed = failedConditions(error);
      if (failed === undefined) throw error;
      const head = await this.head(input.anmSchemeId);
      if (head?.usedThrough !== undefined && head.usedThrough >= input.effectiveFrom)
        return { outcome: "in-use", usedThrough: head.usedThrough };
      return { outcome: "moved" };
    }
  }

  async markDayInUse(anmSchemeId: string, deliveryDate: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: schemeKeys.head(anmSchemeId),
          UpdateExpression: "SET anmSchemeId = :id, usedThrough = :day",
          ConditionExpression: "attribute_not_exists(usedThrough) OR usedThrough < :day",
          ExpressionAttributeValues: { ":id": anmSchemeId, ":day": deliveryDate },
        }),
      );
    } catch (error) {
      // A later day (or this one) is already marked: nothing to move.
      if (!isConditionFailure(error)) throw error;
    }
  }

  private async head(anmSchemeId: string): Promise<Head | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: schemeKeys.head(anmSchemeId),
        ConsistentRead: true,
      }),
    );
    return Item as Head | undefined;
  }

  /** Every version, oldest first. */
  private async versions(anmSchemeId: string): Promise<SchemeVersion[]> {
    const items = await queryAll<Record<string, unknown>>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :v)",
      ExpressionAttributeValues: {
        ":pk": schemeKeys.pk(anmSchemeId),
        ":v": schemeKeys.versionPrefix,
      },
      ConsistentRead: true,
    });
    return items.map((item) => ({
      version: Number(item.version),
      effectiveFrom: String(item.effectiveFrom),
      config: (item.config ?? {}) as SchemeVersion["config"],
      createdAt: String(item.createdAt),
    }));
  }
}
