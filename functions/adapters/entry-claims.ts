import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { EntryClaimRecord } from "../core/access/asset";
import type { EntryClaimStore } from "../core/ports";
import { accessKeys } from "./keys";
import { queryAll } from "./table-io";

/**
 * The MOL entry claims of each ANM scheme, one item per (scheme, entry) written with its asset
 * (`asset-repository.ts`): which asset holds an entry, read strongly consistently.
 */
export class EntryClaims implements EntryClaimStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claimsOfScheme(anmSchemeId: string): Promise<EntryClaimRecord[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :p",
      ExpressionAttributeValues: { ":p": accessKeys.entryClaimsOfScheme(anmSchemeId) },
      ConsistentRead: true,
    });
    return items.map((item) => ({ entryId: String(item.entryId), assetId: String(item.assetId) }));
  }

  async claimOf(anmSchemeId: string, entryId: string): Promise<EntryClaimRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: accessKeys.entryClaim(anmSchemeId, entryId),
        ConsistentRead: true,
      }),
    );
    return Item?.assetId ? { entryId, assetId: String(Item.assetId) } : undefined;
  }
}
