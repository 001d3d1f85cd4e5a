import { describe, expect, it } from "vitest";
import { TABLE_SPEC } from "../../functions/adapters/table-spec";
import { marketTemplates } from "../support/cdk-app";

describe("the DataStack", () => {
  const { data } = marketTemplates();
  const tables = data.findResources("AWS::DynamoDB::Table");

  it("holds exactly one table, kept when the stack goes", () => {
    expect(Object.keys(tables)).toHaveLength(1);
    const [table] = Object.values(tables);
    expect(table?.DeletionPolicy).toBe("Retain");
    expect(table?.UpdateReplacePolicy).toBe("Retain");
  });

  it("has TABLE_SPEC's keys and indexes, all string keys", () => {
    const properties = Object.values(tables)[0]?.Properties;
    expect(properties.KeySchema).toEqual([
      { AttributeName: TABLE_SPEC.partitionKey, KeyType: "HASH" },
      { AttributeName: TABLE_SPEC.sortKey, KeyType: "RANGE" },
    ]);
    expect(
      properties.GlobalSecondaryIndexes.map(
        (index: { IndexName: string; KeySchema: { AttributeName: string }[] }) => ({
          indexName: index.IndexName,
          partitionKey: index.KeySchema[0]?.AttributeName,
          sortKey: index.KeySchema[1]?.AttributeName,
        }),
      ),
    ).toEqual(TABLE_SPEC.globalSecondaryIndexes);
    for (const attribute of properties.AttributeDefinitions)
      expect(attribute.AttributeType).toBe("S");
    expect(properties.TimeToLiveSpecification).toEqual({
      AttributeName: TABLE_SPEC.timeToLiveAttribute,
      Enabled: true,
    });
  });

  it("is on-demand, with point-in-time recovery, encryption and deletion protection", () => {
    data.hasResourceProperties("AWS::DynamoDB::Table", {
      BillingMode: "PAY_PER_REQUEST",
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
    });
  });

  it("sends the meter upload bucket's events to EventBridge, with no custom resource (D-232)", () => {
    const buckets = Object.values(data.findResources("AWS::S3::Bucket")).filter((b) =>
      JSON.stringify(b.Properties?.BucketName ?? "").includes("bitrader-meter-uploads-"),
    );
    expect(buckets).toHaveLength(1);
    expect(buckets[0]?.Properties.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    expect(Object.keys(data.findResources("Custom::S3BucketNotifications"))).toEqual([]);
    expect(Object.keys(data.findResources("AWS::Lambda::Function"))).toEqual([]);
  });
});
