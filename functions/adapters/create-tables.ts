import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import type { TableSpec } from "./table-spec";

/**
 * Creates the table described by a TABLE_SPEC (local stack and tests only; in the cloud the
 * DataStack owns the table). Idempotent: an existing table is left as it is, except that a table
 * created before the spec had a stream gets its stream turned on. Returns the stream's ARN.
 */
export async function ensureTable(
  client: DynamoDBClient,
  spec: TableSpec,
  tableName: string = spec.name,
): Promise<{ streamArn: string }> {
  const keyAttributes = new Set<string>([spec.partitionKey, spec.sortKey]);
  for (const index of spec.globalSecondaryIndexes) {
    keyAttributes.add(index.partitionKey);
    keyAttributes.add(index.sortKey);
  }
  const stream = { StreamEnabled: true, StreamViewType: spec.streamViewType };
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
        StreamSpecification: stream,
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: spec.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.StreamSpecification?.StreamEnabled && Table.LatestStreamArn)
    return { streamArn: Table.LatestStreamArn };
  const updated = await client.send(
    new UpdateTableCommand({ TableName: tableName, StreamSpecification: stream }),
  );
  const streamArn = updated.TableDescription?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${tableName} has no stream after enabling it`);
  return { streamArn };
}
