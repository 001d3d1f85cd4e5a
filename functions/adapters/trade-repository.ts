import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { StoredTrade, TradeStore } from "../core/ports";
import { CYCLE_PARTS, marketKeys } from "./keys";
import { putAll, queryAll, withoutKeys } from "./table-io";

/** Trades, in their cycle's partition and indexed under each party. */
export class TradeRepository implements TradeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async saveTrades(trades: StoredTrade[]): Promise<void> {
    await putAll(
      this.client,
      this.tableName,
      trades.map((t) => ({
        ...marketKeys.trade(t.cycleId, t.marketId, t.sequence),
        gsi1pk: marketKeys.participantTrades(t.buyParticipantId, t.deliveryDate),
        gsi1sk: t.tradeId,
        gsi2pk: marketKeys.participantTrades(t.sellParticipantId, t.deliveryDate),
        gsi2sk: t.tradeId,
        ...t,
      })),
    );
  }

  async listTradesOfCycle(cycleId: string): Promise<StoredTrade[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :trd)",
      ExpressionAttributeValues: {
        ":pk": marketKeys.cyclePk(cycleId),
        ":trd": CYCLE_PARTS.trade,
      },
      ConsistentRead: true,
    });
    return items.map((i) => withoutKeys<StoredTrade>(i));
  }

  async listTradesOfParticipant(
    participantId: string,
    deliveryDate: string,
  ): Promise<StoredTrade[]> {
    const pk = marketKeys.participantTrades(participantId, deliveryDate);
    const [asBuyer, asSeller] = await Promise.all(
      (["gsi1", "gsi2"] as const).map((index) =>
        queryAll(this.client, {
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression: `${index}pk = :pk`,
          ExpressionAttributeValues: { ":pk": pk },
        }),
      ),
    );
    return [...asBuyer!, ...asSeller!].map((i) => withoutKeys<StoredTrade>(i));
  }
}
