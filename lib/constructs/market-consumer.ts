import { Duration, Validations } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import {
  type CfnEventSourceMapping,
  type EventSourceMapping,
  FilterCriteria,
  FilterRule,
  StartingPosition,
} from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { type IQueue, Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { Consumer, StreamTrigger } from "../../functions/events/consumers";
import { type GrantResources, MarketFunction } from "./market-function";

export interface MarketConsumerProps {
  /** The CONSUMERS row. Its trigger and grants must name resources given here. */
  readonly consumer: Consumer;
  /** The table (a stream trigger reads its stream) and whatever the row's grants name. */
  readonly resources: GrantResources & { readonly table?: ITable };
  /**
   * For a dead-letter trigger: the dead-letter queue of each object-created consumer built
   * before it, by consumer id (D-233).
   */
  readonly deadLetterQueues?: Readonly<Record<string, IQueue>>;
}

/**
 * D-233: how often an object-created event is tried. EventBridge retries an invocation it could
 * not make (throttled, Lambda unavailable) up to 8 times within a day; Lambda runs the
 * asynchronous invocation it accepted up to 3 times (the first and 2 retries, its maximum).
 */
export const OBJECT_EVENT_DELIVERY = {
  ruleRetryAttempts: 8,
  ruleMaxEventAgeHours: 24,
  lambdaRetryAttempts: 2,
  lambdaMaxEventAgeHours: 6,
} as const;

/** The dead-letter consumers' timeout (their rows keep the default, 60 s). */
const DEAD_LETTER_READER_TIMEOUT_SECONDS = 60;

/**
 * One CONSUMERS row: its MarketFunction and its trigger — an event source mapping on the table's
 * stream (the row's batch size, window, retries and filter; partial batch failures reported by
 * the handler), an EventBridge rule on the row's rate, an EventBridge rule on the status
 * changes of a workflow's executions, or one on the objects created in a bucket (D-232).
 */
export class MarketConsumer extends Construct {
  readonly function: MarketFunction;
  /** The stream mapping, for a stream trigger. */
  readonly eventSourceMapping: EventSourceMapping | undefined;
  /** The schedule rule, for a schedule trigger. */
  readonly rule: Rule | undefined;
  /**
   * For an object-created trigger: where the events it never processed go (D-233) — the rule
   * target's dead-letter queue and the function's on-failure destination.
   */
  readonly deadLetterQueue: Queue | undefined;

  constructor(scope: Construct, id: string, props: MarketConsumerProps) {
    super(scope, id);
    const { consumer, resources } = props;
    validate(consumer);
    this.function = new MarketFunction(this, "Handler", {
      entry: consumer.entry,
      grants: consumer.grants,
      description: `BiTraDER ${consumer.id}: ${consumer.description}`,
      timeout: Duration.seconds(consumer.timeoutSeconds ?? 60),
      ...(consumer.memorySize === undefined ? {} : { memorySize: consumer.memorySize }),
    }).grant(consumer.grants, resources);
    const { trigger } = consumer;
    if (trigger.kind === "stream") {
      const table = resources.table;
      if (table?.tableStreamArn === undefined)
        throw new Error(`MarketConsumer ${consumer.id}: needs the table with its stream`);
      this.function.bindStream(table);
      this.eventSourceMapping = this.function.function.addEventSourceMapping("Stream", {
        eventSourceArn: table.tableStreamArn,
        startingPosition: StartingPosition[trigger.startingPosition],
        batchSize: trigger.batchSize,
        maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds),
        retryAttempts: trigger.retryAttempts,
        reportBatchItemFailures: true,
        ...(trigger.filter ? { filters: [streamFilter(trigger.filter)] } : {}),
      });
      this.rule = undefined;
      this.deadLetterQueue = undefined;
    } else if (trigger.kind === "execution-status") {
      const workflow = resources.workflows?.[trigger.workflow];
      if (workflow === undefined)
        throw new Error(
          `MarketConsumer ${consumer.id}: needs the state machine ${trigger.workflow}`,
        );
      // D-134: EventBridge's own event for an execution's status change, for this machine only.
      this.rule = new Rule(this, "ExecutionStatus", {
        description: `BiTraDER ${consumer.id}: ${trigger.workflow} executions ${trigger.statuses.join(", ")}`,
        eventPattern: {
          source: ["aws.states"],
          detailType: ["Step Functions Execution Status Change"],
          detail: {
            status: [...trigger.statuses],
            stateMachineArn: [workflow.stateMachine.stateMachineArn],
          },
        },
        targets: [new LambdaFunction(this.function.function, { retryAttempts: 8 })],
      });
      this.deadLetterQueue = undefined;
      this.eventSourceMapping = undefined;
    } else if (trigger.kind === "object-created") {
      const bucket = resources.buckets?.[trigger.bucket];
      if (bucket === undefined)
        throw new Error(`MarketConsumer ${consumer.id}: needs the bucket ${trigger.bucket}`);
      // D-233: what is never processed lands in one queue — an event the rule could not
      // deliver (its dead-letter queue) and one the function failed on every attempt (its
      // on-failure destination). SQS-managed encryption, TLS only, kept 14 days.
      const deadLetters = new Queue(this, "DeadLetters", {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        // Six times the reading consumer's timeout (AWS's advice for a Lambda event source).
        visibilityTimeout: Duration.seconds(6 * DEAD_LETTER_READER_TIMEOUT_SECONDS),
      });
      Validations.of(deadLetters).acknowledge({
        id: "AwsSolutions::AwsSolutions-SQS3",
        reason:
          "This queue is itself the dead-letter queue (of the EventBridge rule's target and of the function's asynchronous invocations, D-233); cdk-nag only recognises a DLQ named by another queue's redrive policy.",
      });
      // D-232: S3's own "Object Created" event (the bucket sends its events to EventBridge), for
      // this bucket only. Delivery is at least once: EventBridge retries the invocation, and
      // Lambda retries an asynchronous invocation that failed.
      this.rule = new Rule(this, "ObjectCreated", {
        description: `BiTraDER ${consumer.id}: objects created in ${trigger.bucket}`,
        eventPattern: {
          source: ["aws.s3"],
          detailType: ["Object Created"],
          detail: { bucket: { name: [bucket.bucketName] } },
        },
        targets: [
          new LambdaFunction(this.function.function, {
            retryAttempts: OBJECT_EVENT_DELIVERY.ruleRetryAttempts,
            maxEventAge: Duration.hours(OBJECT_EVENT_DELIVERY.ruleMaxEventAgeHours),
            deadLetterQueue: deadLetters,
          }),
        ],
      });
      this.function.function.configureAsyncInvoke({
        retryAttempts: OBJECT_EVENT_DELIVERY.lambdaRetryAttempts,
        maxEventAge: Duration.hours(OBJECT_EVENT_DELIVERY.lambdaMaxEventAgeHours),
        onFailure: new SqsDestination(deadLetters),
      });
      this.deadLetterQueue = deadLetters;
      this.eventSourceMapping = undefined;
    } else if (trigger.kind === "dead-letter") {
      const queue = props.deadLetterQueues?.[trigger.of];
      if (queue === undefined)
        throw new Error(
          `MarketConsumer ${consumer.id}: needs the dead-letter queue of ${trigger.of} (build it first)`,
        );
      // D-233: a few letters at a time; a letter the handler could not record is reported
      // alone (partial batch failures) and seen again after the visibility timeout.
      this.function.function.addEventSource(
        new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }),
      );
      this.rule = undefined;
      this.deadLetterQueue = undefined;
      this.eventSourceMapping = undefined;
    } else {
      this.rule = new Rule(this, "Schedule", {
        description: `BiTraDER ${consumer.id}: every ${trigger.everyMinutes} min`,
        schedule: Schedule.rate(Duration.minutes(trigger.everyMinutes)),
        targets: [new LambdaFunction(this.function.function)],
      });
      this.deadLetterQueue = undefined;
      this.eventSourceMapping = undefined;
    }
  }

  /** The mapping's CloudFormation resource (for tests). */
  get cfnEventSourceMapping(): CfnEventSourceMapping | undefined {
    return this.eventSourceMapping?.node.defaultChild as CfnEventSourceMapping | undefined;
  }
}

/** The row's filter as a Lambda event filter: event names and a `pk` prefix (string keys). */
function streamFilter(filter: NonNullable<StreamTrigger["filter"]>): Record<string, unknown> {
  return FilterCriteria.filter({
    ...(filter.eventNames ? { eventName: FilterRule.or(...filter.eventNames) } : {}),
    ...(filter.partitionKeyPrefix
      ? { dynamodb: { Keys: { pk: { S: FilterRule.beginsWith(filter.partitionKeyPrefix) } } } }
      : {}),
  });
}

function validate(consumer: Consumer): void {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(consumer.id))
    throw new Error(`MarketConsumer: id must be PascalCase, got ${consumer.id}`);
  const { trigger } = consumer;
  if (trigger.kind === "stream") {
    if (!Number.isInteger(trigger.batchSize) || trigger.batchSize < 1 || trigger.batchSize > 1000)
      throw new Error(`MarketConsumer ${consumer.id}: batchSize must be 1-1000`);
    if (trigger.maxBatchingWindowSeconds < 0 || trigger.maxBatchingWindowSeconds > 300)
      throw new Error(`MarketConsumer ${consumer.id}: maxBatchingWindowSeconds must be 0-300`);
    if (!Number.isInteger(trigger.retryAttempts) || trigger.retryAttempts < 0)
      throw new Error(`MarketConsumer ${consumer.id}: retryAttempts must be a whole number ≥ 0`);
  } else if (trigger.kind === "execution-status") {
    if (trigger.statuses.length === 0)
      throw new Error(`MarketConsumer ${consumer.id}: name at least one execution status`);
  } else if (trigger.kind === "object-created") {
    if (trigger.bucket === "")
      throw new Error(`MarketConsumer ${consumer.id}: name the bucket whose objects it reads`);
  } else if (trigger.kind === "dead-letter") {
    if (trigger.of === "" || trigger.of === consumer.id)
      throw new Error(
        `MarketConsumer ${consumer.id}: name another consumer whose dead letters it reads`,
      );
  } else if (!Number.isInteger(trigger.everyMinutes) || trigger.everyMinutes < 1) {
    throw new Error(`MarketConsumer ${consumer.id}: everyMinutes must be a whole number ≥ 1`);
  }
}
