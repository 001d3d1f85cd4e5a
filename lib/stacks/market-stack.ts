import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { Construct } from "constructs";
import { MarketAlarms } from "../constructs/market-alarms";
import { MarketApi } from "../constructs/market-api";
import { MarketWorkflow } from "../constructs/market-workflow";

export interface MarketStackProps extends StackProps {
  /** The table of the DataStack. */
  readonly table: ITable;
  /** Subscribed to the alarm topic. @default none (subscribe after deployment) */
  readonly alarmEmail?: string;
}

/** The stateless stack: the day-ahead cycle workflow and the REST API, with their functions. */
export class MarketStack extends Stack {
  readonly workflow: MarketWorkflow;
  readonly api: MarketApi;
  readonly alarms: MarketAlarms;

  constructor(scope: Construct, id: string, props: MarketStackProps) {
    super(scope, id, props);
    this.workflow = new MarketWorkflow(this, "DayAheadCycle", { table: props.table });
    this.api = new MarketApi(this, "MarketApi", {
      table: props.table,
      stateMachine: this.workflow.stateMachine,
    });
    const functions = Object.fromEntries(
      [
        ...Object.entries(this.api.functions),
        ...(this.api.authorizerFunction
          ? [["Authorizer", this.api.authorizerFunction] as const]
          : []),
        ...Object.entries(this.workflow.functions),
      ].map(([name, fn]) => [name, fn.function]),
    );
    this.alarms = new MarketAlarms(this, "Alarms", {
      stateMachines: { DayAheadCycle: this.workflow.stateMachine },
      functions,
      table: props.table,
      api: this.api.api,
      stageName: this.api.api.deploymentStage.stageName,
      ...(props.alarmEmail ? { email: props.alarmEmail } : {}),
    });
    new CfnOutput(this, "ApiUrl", { value: this.api.api.url });
    new CfnOutput(this, "AlarmTopicArn", { value: this.alarms.topic.topicArn });
    new CfnOutput(this, "TableName", { value: props.table.tableName });
    new CfnOutput(this, "StateMachineArn", { value: this.workflow.stateMachine.stateMachineArn });
  }
}
