import { RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { type IKey, Key } from "aws-cdk-lib/aws-kms";
import type { Construct } from "constructs";
import { MarketTable } from "../constructs/market-table";

/**
 * The stateful stack: the single table (on-demand, PITR, RETAIN) and the KMS key that wraps the
 * data keys of webhook secrets (R-NOTIFY-2; yearly rotation, RETAIN: without it no stored secret
 * could be opened). Deployed once, rarely changed.
 */
export class DataStack extends Stack {
  readonly table: ITable;
  /** KMS keys by the id `key` grants name them with. */
  readonly keys: Readonly<Record<string, IKey>>;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.table = new MarketTable(this, "MarketTable").table;
    this.keys = {
      WebhookSecrets: new Key(this, "WebhookSecretsKey", {
        description: "BiTraDER: wraps the data keys that encrypt webhook endpoint secrets",
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
    };
  }
}
