import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import type { TableSpec } from "./table-spec";

/**
 * Creates the table described by a TABLE_SPEC (local stack and tests only; in the cloud the
 * DataStack owns the table). Idempotent: an existing table is left as it is.
 */
export async function ensureTable(
  client: DynamoDBClient,
  spec: TableSpec,
  tableName: string = spec.name,
): Promise<void> {
  const keyAttributes = new Set<string>([spec.partitionKey, spec.sortKey]);
  for (const index of spec.globalSecondaryIndexes) {
    keyAttributes.add(index.partitionKey);
    keyAttributes.add(index.sortKey);
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [...keyAttributes].map((name) => ({
          AttributeName: name,
          AttributeType: "S",
        })),
        KeySchema: [
          { AttributeName: spec.partitionKey, KeyType: "HASH" },
          { AttributeName: spec.sortKey, KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: spec.globalSecondaryIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: "HASH" },
            { AttributeName: index.sortKey, KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        })),
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) return;
    throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: spec.timeToLiveAttribute, Enabled: true },
    }),
  );
}
