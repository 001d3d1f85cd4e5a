import { CfnOutput, NestedStack, Stack, type StackProps } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { Bucket, type IBucket } from "aws-cdk-lib/aws-s3";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { CONSUMERS, type Consumer } from "../../functions/events/consumers";
import { ROUTES, type Route } from "../../functions/http/routes";
import { WORKFLOWS, type Workflow } from "../../functions/workflow/workflows";
import { alarmTopic, MarketAlarms } from "../constructs/market-alarms";
import { MarketApi } from "../constructs/market-api";
import { MarketConsumer } from "../constructs/market-consumer";
import type { GrantedWorkflow, GrantResources, ScheduleGroup } from "../constructs/market-function";
import { MarketWorkflow } from "../constructs/market-workflow";

export interface MarketStackProps extends StackProps {
  /** The table of the DataStack (with its stream). */
  readonly table: ITable;
  /** @default ROUTES */
  readonly routes?: readonly Route[];
  /** One state machine each; a task may grant a workflow listed before its own. @default WORKFLOWS */
  readonly workflows?: readonly Workflow[];
  /** One function and trigger each. @default CONSUMERS */
  readonly consumers?: readonly Consumer[];
  /** Buckets a grant may name, by id. @default none */
  readonly buckets?: Readonly<Record<string, IBucket>>;
  /**
   * Buckets of the DataStack a grant may name, by id → their fixed name (imported by name, so
   * that grants name the bucket's ARN rather than a cross-stack export). @default none
   */
  readonly bucketNames?: Readonly<Record<string, string>>;
  /** Queues a grant may name, by id. @default none */
  readonly queues?: Readonly<Record<string, IQueue>>;
  /** The schedule group a `schedule` grant manages. @default none */
  readonly schedules?: ScheduleGroup;
  /** KMS keys a `key` grant may name, by id (stateful: from the DataStack). @default none */
  readonly keys?: Readonly<Record<string, IKey>>;
  /** Subscribed to the alarm topic. @default none (subscribe after deployment) */
  readonly alarmEmail?: string;
  /**
   * The web console's origin, the one the API answers CORS for (D-119, MarketApiProps).
   * @default none
   */
  readonly corsOrigin?: string;
}

/**
 * The stateless stack, read from the tables of `functions/`: one state machine per WORKFLOWS
 * row, one function and trigger per CONSUMERS row, and the REST API from ROUTES.
 */
export class MarketStack extends Stack {
  /** Workflow id → its state machine and task functions. */
  readonly workflows: Readonly<Record<string, MarketWorkflow>>;
  /** The day-ahead cycle's workflow. */
  readonly workflow: MarketWorkflow;
  /** Consumer id → its function and trigger. */
  readonly consumers: Readonly<Record<string, MarketConsumer>>;
  readonly api: MarketApi;
  readonly alarms: MarketAlarms;
  /** The nested stack that holds {@link alarms} and the dashboard (D-293). */
  readonly alarmsStack: NestedStack;
  /** The nested stack that holds every workflow's state machine and task functions (D-154). */
  readonly workflowsStack: NestedStack;

  constructor(scope: Construct, id: string, props: MarketStackProps) {
    super(scope, id, props);
    const granted: Record<string, GrantedWorkflow> = {};
    const buckets: Record<string, IBucket> = { ...props.buckets };
    for (const [bucketId, name] of Object.entries(props.bucketNames ?? {}))
      buckets[bucketId] = Bucket.fromBucketName(this, `${bucketId}Bucket`, name);
    // The alarm topic comes first: a consumer alerts the operator on it (D-135).
    const topic = alarmTopic(this, "AlarmTopic");
    const resources = (): GrantResources => ({
      table: props.table,
      workflows: { ...granted },
      topics: { Alarms: topic },
      ...(Object.keys(buckets).length > 0 ? { buckets } : {}),
      ...(props.queues ? { queues: props.queues } : {}),
      ...(props.schedules ? { schedules: props.schedules } : {}),
      ...(props.keys ? { keys: props.keys } : {}),
    });

    // The workflows (state machines, task functions, roles, log groups) live in a nested stack:
    // with them the market stack stood at 499 of CloudFormation's 500 resources per stack
    // (D-154). The routes and consumers that start or read them take their ARNs from its
    // outputs, which CDK wires; the outputs below stay on the market stack. Each state machine
    // is named after the stack and its workflow, so that the grants on its executions can spell
    // their ARN (and the operator finds it by name).
    this.workflowsStack = new NestedStack(this, "WorkflowsStack", {
      description: "BiTraDER: the workflows' state machines and task functions",
    });
    const workflows: Record<string, MarketWorkflow> = {};
    for (const workflow of props.workflows ?? WORKFLOWS) {
      const built = new MarketWorkflow(this.workflowsStack, workflow.id, {
        workflow,
        resources: resources(),
        stateMachineName: `${this.stackName}-${workflow.id}`,
      });
      workflows[workflow.id] = built;
      granted[workflow.id] = {
        stateMachine: built.stateMachine,
        arnVariable: workflow.arnVariable,
      };
      new CfnOutput(
        this,
        workflow.id === "DayAheadCycle" ? "StateMachineArn" : `${workflow.id}Arn`,
        {
          value: built.stateMachine.stateMachineArn,
        },
      );
    }
    this.workflows = workflows;
    const dayAhead = workflows.DayAheadCycle;
    if (dayAhead === undefined)
      throw new Error("MarketStack: the DayAheadCycle workflow is missing");
    this.workflow = dayAhead;

    const consumers: Record<string, MarketConsumer> = {};
    const deadLetterQueues: Record<string, IQueue> = {};
    for (const consumer of props.consumers ?? CONSUMERS) {
      const built = new MarketConsumer(this, consumer.id, {
        consumer,
        resources: resources(),
        deadLetterQueues: { ...deadLetterQueues },
      });
      consumers[consumer.id] = built;
      if (built.deadLetterQueue) deadLetterQueues[consumer.id] = built.deadLetterQueue;
    }
    this.consumers = consumers;

    this.api = new MarketApi(this, "MarketApi", {
      routes: props.routes ?? ROUTES,
      table: props.table,
      resources: resources(),
      ...(props.corsOrigin === undefined ? {} : { corsOrigin: props.corsOrigin }),
    });
    const functions = Object.fromEntries(
      [
        ...Object.entries(this.api.functions),
        ...(this.api.authorizerFunction
          ? [["Authorizer", this.api.authorizerFunction] as const]
          : []),
        // The day-ahead cycle's tasks by state name; other workflows' prefixed by their id.
        ...Object.entries(workflows).flatMap(([workflowId, workflow]) =>
          Object.entries(workflow.functions).map(
            ([state, fn]) =>
              [workflowId === "DayAheadCycle" ? state : `${workflowId}${state}`, fn] as const,
          ),
        ),
        ...Object.entries(consumers).map(([consumerId, c]) => [consumerId, c.function] as const),
      ].map(([name, fn]) => [name, fn.function]),
    );
    // Two alarms per function and the dashboard live in a nested stack: with them the market
    // stack passes CloudFormation's 500 resources per stack (D-293). The topic stays here, where
    // the consumers' grants name it (D-135).
    this.alarmsStack = new NestedStack(this, "AlarmsStack", {
      description: "BiTraDER: the operator's alarms and dashboard",
    });
    this.alarms = new MarketAlarms(this.alarmsStack, "Alarms", {
      stateMachines: Object.fromEntries(
        Object.entries(workflows).map(([workflowId, w]) => [workflowId, w.stateMachine]),
      ),
      functions,
      deadLetterQueues,
      table: props.table,
      api: this.api.api,
      stageName: this.api.api.deploymentStage.stageName,
      topic,
      ...(props.alarmEmail ? { email: props.alarmEmail } : {}),
    });
    new CfnOutput(this, "ApiUrl", { value: this.api.api.url });
    new CfnOutput(this, "AlarmTopicArn", { value: this.alarms.topic.topicArn });
    new CfnOutput(this, "TableName", { value: props.table.tableName });
  }
}
