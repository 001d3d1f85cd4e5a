import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { Asset, AssetStatus } from "../core/access/asset";
import { DomainError } from "../core/errors";
import type { Page, PageRequest } from "../core/model/paging";
import type { AssetStore, NewAsset, OrderCancellation, StatusChange } from "../core/ports";
import type { AuditLog } from "./audit-log";
import { getAll } from "./batch-get";
import { failedConditions } from "./dynamo-errors";
import { accessKeys } from "./keys";
import { queryPage } from "./page-token";
import { changeStatusCancelling } from "./status-change";
import { withoutKeys } from "./table-io";

/**
 * Assets and their MOL entry claims (api.md "Assets", R-ELIG-1, D-19).
 *
 * Uniqueness of a claim: one item per (ANM scheme, entry id), put with `attribute_not_exists`
 * in the same transaction as the asset, so two assets that are not rejected can never hold the
 * same entry, however requests race. Rejecting an asset deletes its claim items in the same
 * transaction as the status change (only items that still name this asset). An asset item is
 * the record itself plus its keys: whatever the record holds is stored and read back.
 */
export class AssetRepository implements AssetStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
  ) {}

  async register(input: NewAsset): Promise<Asset> {
    const { assetId, participantId, registration, at, actor } = input;
    const asset: Asset = {
      assetId,
      participantId,
      ...registration,
      status: "pending",
      createdAt: at,
      updatedAt: at,
    };
    const claims = registration.molEntryIds.map((entryId) => ({
      Put: {
        TableName: this.tableName,
        Item: {
          ...accessKeys.entryClaim(registration.anmSchemeId, entryId),
          type: "EntryClaim",
          anmSchemeId: registration.anmSchemeId,
          entryId,
          assetId,
          participantId,
          claimedAt: at,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    }));
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...accessKeys.assetItem(assetId, participantId, at),
                  type: "Asset",
                  ...asset,
                },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            ...claims,
            this.audit.transactItem({
              subject: assetId,
              action: "asset.registered",
              actor,
              at,
              to: "pending",
            }),
          ],
        }),
      );
    } catch (error) {
      const failed = failedConditions(error)?.filter(
        (index) => index >= 1 && index <= claims.length,
      );
      if (failed && failed.length > 0) {
        throw new DomainError(
          "ENTRY_ALREADY_CLAIMED",
          `MOL entries already claimed in ANM scheme ${registration.anmSchemeId} by another asset.`,
          failed.map((index) => ({
            path: `molEntryIds.${index - 1}`,
            message: "is already claimed by another asset that is not rejected",
          })),
        );
      }
      throw error;
    }
    return asset;
  }

  async get(assetId: string): Promise<Asset | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: accessKeys.asset(assetId),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : withoutKeys<Asset>(Item);
  }

  async getMany(assetIds: readonly string[]): Promise<Asset[]> {
    const keys = [...new Set(assetIds)].map(
      (id) => accessKeys.asset(id) as unknown as Record<string, unknown>,
    );
    return (await getAll(this.client, this.tableName, keys)).map((item) =>
      withoutKeys<Asset>(item),
    );
  }

  async list(participantId: string | undefined, page: PageRequest = {}): Promise<Page<Asset>> {
    const partition =
      participantId === undefined
        ? { index: "gsi2", attribute: "gsi2pk", value: accessKeys.allAssets() }
        : {
            index: "gsi1",
            attribute: "gsi1pk",
            value: accessKeys.assetsOfParticipant(participantId),
          };
    return queryPage(this.client, this.tableName, partition, page, (item) =>
      withoutKeys<Asset>(item),
    );
  }

  async changeStatus(
    asset: Asset,
    change: StatusChange<AssetStatus>,
    cancel?: OrderCancellation,
  ): Promise<{ asset: Asset; cancelled: readonly string[] }> {
    const release =
      change.to === "rejected"
        ? asset.molEntryIds.map((entryId) => ({
            Delete: {
              TableName: this.tableName,
              Key: accessKeys.entryClaim(asset.anmSchemeId, entryId),
              ConditionExpression: "attribute_not_exists(pk) OR assetId = :assetId",
              ExpressionAttributeValues: { ":assetId": asset.assetId },
            },
          }))
        : [];
    const cancelled = await changeStatusCancelling(
      this.client,
      this.audit,
      {
        tableName: this.tableName,
        key: accessKeys.asset(asset.assetId),
        noun: "asset",
        subject: asset.assetId,
        ...change,
        alongside: release,
      },
      cancel,
    );
    const updated = await this.get(asset.assetId);
    if (updated === undefined) throw new Error("asset vanished after its update");
    return { asset: updated, cancelled };
  }
}
