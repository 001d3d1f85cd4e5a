import { Duration } from "aws-cdk-lib";
import type { IRestApi } from "aws-cdk-lib/aws-apigateway";
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { Alias } from "aws-cdk-lib/aws-kms";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { IStateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";

/** One alarm's definition, kept as data so that the infra test can read what each one watches. */
export interface AlarmSpec {
  /** Construct id and, prefixed by the stack, the alarm's name. */
  readonly id: string;
  readonly description: string;
  readonly metric: IMetric;
  /** Alarm when the metric is at or above this in one period. */
  readonly threshold: number;
}

export interface MarketAlarmsProps {
  /** Every workflow of the platform (the day-ahead cycle, and later ones). */
  readonly stateMachines: Readonly<Record<string, IStateMachine>>;
  /** Every function of the platform: route handlers, the authorizer, workflow tasks, consumers. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /**
   * The dead-letter queue of each object-created consumer, by consumer id (D-233): a visible
   * message is an event that was never processed. @default none
   */
  readonly deadLetterQueues?: Readonly<Record<string, IQueue>>;
  readonly table: ITable;
  readonly api: IRestApi;
  /** The API's stage name, for the API Gateway metrics' `Stage` dimension. */
  readonly stageName: string;
  /**
   * An address subscribed to the alarm topic (the operator on call).
   * @default none: subscribe to the topic after deployment (stack output AlarmTopicArn)
   */
  readonly email?: string;
  /** How long one evaluation period is. @default 5 minutes */
  readonly period?: Duration;
  /**
   * The topic to notify, when the stack made it first (functions may publish to it, D-135).
   * @default a new topic ({@link alarmTopic})
   */
  readonly topic?: Topic;
}

/** The operator's alarm topic: TLS enforced, encrypted with the AWS-managed SNS key. */
export function alarmTopic(scope: Construct, id: string): Topic {
  return new Topic(scope, id, {
    displayName: "BiTraDER operator alarms",
    enforceSSL: true,
    // Server-side encryption with the AWS-managed SNS key: CloudWatch alarms may publish to
    // it without a key policy of ours.
    masterKey: Alias.fromAliasName(scope, `${id}SnsKey`, "alias/aws/sns"),
  });
}

/**
 * The operator's alarms and dashboard. Every alarm notifies one SNS topic (TLS enforced,
 * encrypted with the AWS-managed SNS key) and fires on the first occurrence in a period:
 * - a workflow execution that failed or timed out (a failed cycle publishes the original MOL as
 *   its fallback, so this is also the "cycle fell back" alarm);
 * - any error or throttle of any function (a workflow task error shows here even when the
 *   workflow's Retry cured it);
 * - a message in an object-created consumer's dead-letter queue (D-233);
 * - DynamoDB read or write throttling on the table;
 * - any 5xx answer of the API.
 * Missing data is "not breaching": no traffic is not an incident.
 */
export class MarketAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: readonly Alarm[];
  readonly specs: readonly AlarmSpec[];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MarketAlarmsProps) {
    super(scope, id);
    const period = props.period ?? Duration.minutes(5);
    this.topic = props.topic ?? alarmTopic(this, "Topic");
    if (props.email !== undefined) this.topic.addSubscription(new EmailSubscription(props.email));

    const sum = (metric: Metric) => metric.with({ statistic: "Sum", period });
    const specs: AlarmSpec[] = [];
    for (const [name, machine] of Object.entries(props.stateMachines)) {
      specs.push(
        {
          id: `${name}ExecutionsFailed`,
          description: `A ${name} execution failed: for a day-ahead cycle the original MOL was published as the fallback. See GET /cycles?status=failed.`,
          metric: sum(machine.metricFailed()),
          threshold: 1,
        },
        {
          id: `${name}ExecutionsTimedOut`,
          description: `A ${name} execution timed out.`,
          metric: sum(machine.metricTimedOut()),
          threshold: 1,
        },
      );
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      specs.push(
        {
          id: `${name}Errors`,
          description: `The ${name} function raised an error (a workflow task's error counts even when its Retry cured it).`,
          metric: sum(fn.metricErrors()),
          threshold: 1,
        },
        {
          id: `${name}Throttles`,
          description: `The ${name} function was throttled by Lambda.`,
          metric: sum(fn.metricThrottles()),
          threshold: 1,
        },
      );
    }
    for (const [name, queue] of Object.entries(props.deadLetterQueues ?? {})) {
      specs.push({
        id: `${name}DeadLetters`,
        description: `An event of ${name} was never processed: every attempt failed, or it could not be delivered (D-233). For a meter upload it is marked failed and its sender told to upload again; see the ${name} logs, then the queue.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: "Maximum", period }),
        threshold: 1,
      });
    }
    const tableMetric = (metricName: string) =>
      new Metric({
        namespace: "AWS/DynamoDB",
        metricName,
        dimensionsMap: { TableName: props.table.tableName },
        statistic: "Sum",
        period,
      });
    specs.push(
      {
        id: "TableReadThrottles",
        description: "DynamoDB throttled reads of the table.",
        metric: tableMetric("ReadThrottleEvents"),
        threshold: 1,
      },
      {
        id: "TableWriteThrottles",
        description: "DynamoDB throttled writes to the table.",
        metric: tableMetric("WriteThrottleEvents"),
        threshold: 1,
      },
      {
        id: "Api5xx",
        description: "The API answered 5xx (a fault of the platform, never the client's).",
        metric: new Metric({
          namespace: "AWS/ApiGateway",
          metricName: "5XXError",
          dimensionsMap: { ApiName: props.api.restApiName, Stage: props.stageName },
          statistic: "Sum",
          period,
        }),
        threshold: 1,
      },
    );

    const action = new SnsAction(this.topic);
    this.alarms = specs.map((spec) => {
      const alarm = new Alarm(this, spec.id, {
        alarmDescription: spec.description,
        metric: spec.metric,
        threshold: spec.threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      return alarm;
    });
    this.specs = specs;

    this.dashboard = new Dashboard(this, "Dashboard", {
      widgets: [
        [
          new GraphWidget({
            title: "Workflow executions failed / timed out",
            left: specs
              .filter((s) => /Executions(Failed|TimedOut)$/.test(s.id))
              .map((s) => s.metric),
            width: 12,
          }),
          new GraphWidget({
            title: "API 5xx and DynamoDB throttles",
            left: specs.filter((s) => /^(Api5xx|Table)/.test(s.id)).map((s) => s.metric),
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: "Function errors",
            left: specs.filter((s) => s.id.endsWith("Errors")).map((s) => s.metric),
            width: 12,
          }),
          new GraphWidget({
            title: "Function throttles",
            left: specs
              .filter((s) => s.id.endsWith("Throttles") && !s.id.startsWith("Table"))
              .map((s) => s.metric),
            width: 12,
          }),
        ],
      ],
    });
  }
}
