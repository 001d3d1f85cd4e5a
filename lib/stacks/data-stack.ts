import { Stack, type StackProps } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { Construct } from "constructs";
import { MarketTable } from "../constructs/market-table";

/** The stateful stack: the single table (on-demand, PITR, RETAIN). Deployed once, rarely changed. */
export class DataStack extends Stack {
  readonly table: ITable;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.table = new MarketTable(this, "MarketTable").table;
  }
}
