import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { Page, PageRequest } from "../core/model/paging";
import { toUtcIso } from "../core/model/settlement-periods";
import type {
  CycleFence,
  MarketStatus,
  MarketStore,
  StoredMarket,
  StoredOpportunity,
} from "../core/ports";
import { applyConditionalWrites } from "./conditional-writes";
import { CYCLE_PARTS, marketKeys } from "./keys";
import { queryPage } from "./page-token";
import { putAll, queryAll, withoutKeys } from "./table-io";

/** Markets (one item each, owned by the newest cycle that derived them) and opportunities. */
export class MarketRepository implements MarketStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private marketItem(m: StoredMarket): Record<string, unknown> {
    return {
      ...marketKeys.market(m.marketId),
      gsi1pk: marketKeys.marketsByDate(m.deliveryDate),
      gsi1sk: `${toUtcIso(m.windowStartMs)}#${m.marketId}`,
      gsi2pk: marketKeys.marketsOfCycle(m.cycleId),
      gsi2sk: m.marketId,
      ...m,
    };
  }

  async saveBook(
    fence: CycleFence,
    markets: StoredMarket[],
    opportunities: StoredOpportunity[],
  ): Promise<void> {
    const { cycleId } = fence;
    await putAll(
      this.client,
      this.tableName,
      opportunities.flatMap((o) => [
        {
          ...marketKeys.opportunity(cycleId, o.marketId, o.side, o.entryId),
          gsi1pk: marketKeys.participantOpportunities(o.participantId, o.deliveryDate),
          gsi1sk: `${o.marketId}#${o.side}#${o.entryId}`,
          ...o,
        },
      ]),
    );
    // A market id belongs to the newest cycle of its scheme and day (R-IN-3): an older cycle's
    // late step never takes it back; a re-run of this cycle's step rewrites it unchanged.
    await applyConditionalWrites(
      this.client,
      markets.map((market) => ({
        Put: {
          TableName: this.tableName,
          Item: this.marketItem(market),
          ConditionExpression:
            "attribute_not_exists(pk) OR (cycleId = :cycle AND #status = :pending) OR cycleCreatedAtMs < :created",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":cycle": cycleId,
            ":pending": "pending",
            ":created": market.cycleCreatedAtMs,
          },
        },
      })),
      { tableName: this.tableName, fence },
    );
  }

  async listMarketsOfCycle(cycleId: string): Promise<StoredMarket[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: "gsi2",
      KeyConditionExpression: "gsi2pk = :pk",
      ExpressionAttributeValues: { ":pk": marketKeys.marketsOfCycle(cycleId) },
    });
    return items.map((i) => withoutKeys<StoredMarket>(i)).filter((m) => m.cycleId === cycleId);
  }

  async listOpportunitiesOfCycle(cycleId: string): Promise<StoredOpportunity[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :opp)",
      ExpressionAttributeValues: {
        ":pk": marketKeys.cyclePk(cycleId),
        ":opp": CYCLE_PARTS.opportunity,
      },
      ConsistentRead: true,
    });
    return items.map((i) => withoutKeys<StoredOpportunity>(i));
  }

  async getMarket(marketId: string): Promise<StoredMarket | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: marketKeys.market(marketId),
        ConsistentRead: true,
      }),
    );
    return Item ? withoutKeys<StoredMarket>(Item) : undefined;
  }

  async listMarkets(deliveryDate: string, page: PageRequest): Promise<Page<StoredMarket>> {
    // gsi1 sorts by window start then market id: one Query with Limit per page (D-140).
    return queryPage(
      this.client,
      this.tableName,
      { index: "gsi1", attribute: "gsi1pk", value: marketKeys.marketsByDate(deliveryDate) },
      page,
      (item) => withoutKeys<StoredMarket>(item),
    );
  }

  async setMarketStatus(
    fence: CycleFence,
    cycleId: string,
    marketIds: string[],
    to: MarketStatus,
    from: MarketStatus[],
  ): Promise<void> {
    // A market already moved on, or taken over by a newer cycle, is left as it is.
    await applyConditionalWrites(
      this.client,
      marketIds.map((marketId) => ({
        Update: {
          TableName: this.tableName,
          Key: marketKeys.market(marketId),
          UpdateExpression: "SET #status = :to",
          ConditionExpression: `cycleId = :cycle AND #status IN (${from.map((_, i) => `:f${i}`).join(", ")})`,
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":to": to,
            ":cycle": cycleId,
            ...Object.fromEntries(from.map((f, i) => [`:f${i}`, f])),
          },
        },
      })),
      { tableName: this.tableName, fence },
    );
  }

  async setMarketResults(
    fence: CycleFence,
    results: { marketId: string; tradeCount: number; tradedKw: number }[],
  ): Promise<void> {
    const { cycleId } = fence;
    await applyConditionalWrites(
      this.client,
      results.map(({ marketId, tradeCount, tradedKw }) => ({
        Update: {
          TableName: this.tableName,
          Key: marketKeys.market(marketId),
          UpdateExpression: "SET #status = :matched, #result = :result",
          ConditionExpression: "cycleId = :cycle AND #status IN (:closed, :matched)",
          ExpressionAttributeNames: { "#status": "status", "#result": "result" },
          ExpressionAttributeValues: {
            ":matched": "matched",
            ":closed": "closed",
            ":cycle": cycleId,
            ":result": { tradeCount, tradedKw },
          },
        },
      })),
      { tableName: this.tableName, fence },
    );
  }

  async getOpportunity(
    cycleId: string,
    marketId: string,
    entryId: string,
    side: string,
  ): Promise<StoredOpportunity | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: marketKeys.opportunity(cycleId, marketId, side, entryId),
        ConsistentRead: true,
      }),
    );
    return Item ? withoutKeys<StoredOpportunity>(Item) : undefined;
  }

  async listOpportunitiesOfParticipant(
    participantId: string,
    deliveryDate: string,
    page: PageRequest,
  ): Promise<Page<StoredOpportunity>> {
    return queryPage(
      this.client,
      this.tableName,
      {
        index: "gsi1",
        attribute: "gsi1pk",
        value: marketKeys.participantOpportunities(participantId, deliveryDate),
      },
      page,
      (item) => withoutKeys<StoredOpportunity>(item),
    );
  }
}
