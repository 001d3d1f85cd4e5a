import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { EntryClaim } from "../core/opportunities/derive";
import type { ClaimSource } from "../core/ports";
import type { AssetRepository } from "./asset-repository";
import { accessKeys } from "./keys";

/**
 * The market's view of the asset registry: R-ELIG-1 claims for the cycle, and who claims an entry
 * (so that an entry the caller does not claim is a 404, its own ineligible entry a 422).
 */
export class EntryClaims implements ClaimSource {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly assets: AssetRepository,
  ) {}

  listEntryClaims(anmSchemeId: string): Promise<EntryClaim[]> {
    return this.assets.listEntryClaims(anmSchemeId);
  }

  /** The participant whose asset (not rejected) claims the entry in the scheme, if any. */
  async entryOwner(anmSchemeId: string, entryId: string): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: accessKeys.entryClaim(anmSchemeId, entryId),
        ConsistentRead: true,
      }),
    );
    if (!Item?.assetId) return undefined;
    const asset = await this.assets.get(String(Item.assetId));
    return asset && asset.status !== "rejected" ? asset.participantId : undefined;
  }
}
