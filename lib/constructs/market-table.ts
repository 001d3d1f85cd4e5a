import { RemovalPolicy } from "aws-cdk-lib";
import {
  AttributeType,
  BillingMode,
  StreamViewType,
  Table,
  TableEncryption,
} from "aws-cdk-lib/aws-dynamodb";
import { Construct } from "constructs";
import { TABLE_SPEC, type TableSpec } from "../../functions/adapters/table-spec";

export interface MarketTableProps {
  /**
   * Keys and indexes. Every key attribute is a string; index names must be distinct, and so must
   * the partition and sort key of the table and of each index.
   * @default TABLE_SPEC
   */
  readonly spec?: TableSpec;
  /**
   * What happens to the table when it leaves the stack. The table holds the market's records and
   * its audit trail, so `DESTROY` is refused; use `SNAPSHOT` for throwaway environments.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The platform's single DynamoDB table, built from TABLE_SPEC: on-demand, point-in-time
 * recovery, deletion protection, AWS-managed encryption, TTL on the spec's attribute, a stream
 * of the spec's view type (for stream CONSUMERS), every index projecting all attributes.
 */
export class MarketTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: MarketTableProps = {}) {
    super(scope, id);
    const spec = props.spec ?? TABLE_SPEC;
    validateSpec(spec);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (removalPolicy === RemovalPolicy.DESTROY) {
      throw new Error("MarketTable: RemovalPolicy.DESTROY would delete the market's records");
    }
    this.table = new Table(this, "Table", {
      partitionKey: { name: spec.partitionKey, type: AttributeType.STRING },
      sortKey: { name: spec.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: spec.timeToLiveAttribute,
      stream: StreamViewType[spec.streamViewType],
      removalPolicy,
    });
    for (const index of spec.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    }
  }
}

function validateSpec(spec: TableSpec): void {
  const names = spec.globalSecondaryIndexes.map((index) => index.indexName);
  if (new Set(names).size !== names.length) {
    throw new Error(`MarketTable: duplicate index names in ${names.join(", ")}`);
  }
  for (const keys of [spec, ...spec.globalSecondaryIndexes]) {
    if (keys.partitionKey === keys.sortKey) {
      throw new Error(`MarketTable: partition and sort key must differ (${keys.partitionKey})`);
    }
  }
}
