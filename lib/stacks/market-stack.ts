import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { Construct } from "constructs";
import { MarketApi } from "../constructs/market-api";
import { MarketWorkflow } from "../constructs/market-workflow";

export interface MarketStackProps extends StackProps {
  /** The table of the DataStack. */
  readonly table: ITable;
}

/** The stateless stack: the day-ahead cycle workflow and the REST API, with their functions. */
export class MarketStack extends Stack {
  readonly workflow: MarketWorkflow;
  readonly api: MarketApi;

  constructor(scope: Construct, id: string, props: MarketStackProps) {
    super(scope, id, props);
    this.workflow = new MarketWorkflow(this, "DayAheadCycle", { table: props.table });
    this.api = new MarketApi(this, "MarketApi", {
      table: props.table,
      stateMachine: this.workflow.stateMachine,
    });
    new CfnOutput(this, "ApiUrl", { value: this.api.api.url });
    new CfnOutput(this, "TableName", { value: props.table.tableName });
    new CfnOutput(this, "StateMachineArn", { value: this.workflow.stateMachine.stateMachineArn });
  }
}
