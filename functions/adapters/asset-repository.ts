import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { DomainError } from "../core/errors";
import type { EntryClaim } from "../core/opportunities/derive";
import type { Asset, AssetBody, AssetStatus } from "../http/schemas/asset";
import type { Actor, AuditLog } from "./audit-log";
import { getAll } from "./batch-get";
import { failedConditions } from "./dynamo-errors";
import { accessKeys } from "./keys";
import { type Page, type PageRequest, queryPage } from "./page-token";
import type { ParticipantRepository } from "./participant-repository";
import { changeStatus } from "./status-change";

/**
 * Assets and their MOL entry claims (api.md "Assets", R-ELIG-1).
 *
 * Uniqueness of a claim: one item per (ANM scheme, entry id), put with `attribute_not_exists`
 * in the same transaction as the asset, so two assets that are not rejected can never hold the
 * same entry, however requests race. Rejecting an asset deletes its claim items in the same
 * transaction as the status change (only items that still name this asset).
 */
export class AssetRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly audit: AuditLog,
    private readonly participants: ParticipantRepository,
  ) {}

  /** Stores a pending asset and claims its entries; 409 ENTRY_ALREADY_CLAIMED naming each taken entry. */
  async register(input: {
    assetId: string;
    participantId: string;
    body: AssetBody;
    at: string;
    actor: Actor;
  }): Promise<Asset> {
    const { assetId, participantId, body, at, actor } = input;
    const asset: Asset = {
      assetId,
      participantId,
      ...body,
      status: "pending",
      createdAt: at,
      updatedAt: at,
    };
    const claims = body.molEntryIds.map((entryId) => ({
      Put: {
        TableName: this.tableName,
        Item: {
          ...accessKeys.entryClaim(body.anmSchemeId, entryId),
          type: "EntryClaim",
          anmSchemeId: body.anmSchemeId,
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
          `MOL entries already claimed in ANM scheme ${body.anmSchemeId} by another asset.`,
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

  /** The asset, or undefined. Strongly consistent. Callers check ownership. */
  async get(assetId: string): Promise<Asset | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: accessKeys.asset(assetId),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : toAsset(Item);
  }

  /** One participant's assets, or every asset when `participantId` is undefined (operator). */
  async list(participantId: string | undefined, page: PageRequest = {}): Promise<Page<Asset>> {
    const partition =
      participantId === undefined
        ? { index: "gsi2", attribute: "gsi2pk", value: accessKeys.allAssets() }
        : {
            index: "gsi1",
            attribute: "gsi1pk",
            value: accessKeys.assetsOfParticipant(participantId),
          };
    return queryPage(this.client, this.tableName, partition, page, toAsset);
  }

  /** Moves the asset from `from` to `to` (conditional); to `rejected` also releases its claims. */
  async changeStatus(input: {
    asset: Asset;
    to: AssetStatus;
    action: string;
    reason?: string;
    at: string;
    actor: Actor;
  }): Promise<Asset> {
    const { asset, to, action, reason, at, actor } = input;
    const release =
      to === "rejected"
        ? asset.molEntryIds.map((entryId) => ({
            Delete: {
              TableName: this.tableName,
              Key: accessKeys.entryClaim(asset.anmSchemeId, entryId),
              ConditionExpression: "attribute_not_exists(pk) OR assetId = :assetId",
              ExpressionAttributeValues: { ":assetId": asset.assetId },
            },
          }))
        : [];
    await changeStatus(this.client, this.audit, {
      tableName: this.tableName,
      key: accessKeys.asset(asset.assetId),
      noun: "asset",
      subject: asset.assetId,
      from: asset.status,
      to,
      action,
      ...(reason === undefined ? {} : { reason }),
      at,
      actor,
      alongside: release,
    });
    const updated = await this.get(asset.assetId);
    if (updated === undefined) throw new Error("asset vanished after its update");
    return updated;
  }

  /**
   * R-ELIG-1 input for the day-ahead cycle: every MOL entry of `anmSchemeId` claimed by a
   * QUALIFIED asset of an APPROVED participant, with the asset's flexible-service windows.
   */
  async listEntryClaims(anmSchemeId: string): Promise<EntryClaim[]> {
    const claims: Array<{ entryId: string; assetId: string }> = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": accessKeys.entryClaimsOfScheme(anmSchemeId) },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? [])
        claims.push({ entryId: item.entryId, assetId: item.assetId });
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);

    const assets = new Map(
      (await this.getMany(claims.map((claim) => claim.assetId)))
        .filter((asset) => asset.status === "qualified")
        .map((asset) => [asset.assetId, asset]),
    );
    const approved = new Set(
      (await this.participants.getMany([...assets.values()].map((asset) => asset.participantId)))
        .filter((participant) => participant.status === "approved")
        .map((participant) => participant.participantId),
    );
    const out: EntryClaim[] = [];
    for (const claim of claims) {
      const asset = assets.get(claim.assetId);
      if (asset === undefined || !approved.has(asset.participantId)) continue;
      out.push({
        entryId: claim.entryId,
        participantId: asset.participantId,
        assetId: asset.assetId,
        flexibleServiceWindows: (asset.flexibleServiceContracts ?? []).map((contract) => ({
          startMs: Date.parse(contract.start),
          endMs: Date.parse(contract.end),
        })),
      });
    }
    return out;
  }

  private async getMany(assetIds: readonly string[]): Promise<Asset[]> {
    const keys = [...new Set(assetIds)].map(
      (id) => accessKeys.asset(id) as unknown as Record<string, unknown>,
    );
    return (await getAll(this.client, this.tableName, keys)).map((item) => toAsset(item));
  }
}

const ASSET_FIELDS = [
  "assetId",
  "participantId",
  "name",
  "assetType",
  "technology",
  "exportCapacityMw",
  "importCapacityMw",
  "connectionVoltageKv",
  "exportMpan",
  "importMpan",
  "postcode",
  "anmSchemeId",
  "molEntryIds",
  "flexibleServiceContracts",
  "status",
  "statusReason",
  "createdAt",
  "updatedAt",
] as const;

/** The public record: the declared fields only (no key or index attribute). */
function toAsset(item: Record<string, unknown>): Asset {
  const out: Record<string, unknown> = {};
  for (const field of ASSET_FIELDS) if (item[field] !== undefined) out[field] = item[field];
  return out as unknown as Asset;
}
