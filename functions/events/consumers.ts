import type { Grants } from "../wiring";

/**
 * CONSUMERS — data only: every function driven by something other than a request or a workflow
 * — the table's DynamoDB stream, a schedule, the end of a workflow's execution, or an object
 * created in a bucket. The CDK app builds one function and its trigger
 * per row (an event source mapping, a schedule rule); the local stack runs the same handler with
 * the same event (`lib/local/stream-runner.ts` over DynamoDB Local's stream API,
 * `lib/local/timer-runner.ts`). Adding a consumer is one row here and its handler in
 * `functions/events/handlers/<kebab-case id>.ts`.
 */

/** DynamoDB stream event names (the `eventName` of a record). */
export type StreamEventName = "INSERT" | "MODIFY" | "REMOVE";

/** A function fed batches of the table's stream records (a `DynamoDBStreamEvent`). */
export interface StreamTrigger {
  readonly kind: "stream";
  /** Where a new consumer starts reading: the oldest record kept (24 h) or new records only. */
  readonly startingPosition: "TRIM_HORIZON" | "LATEST";
  /** Records per invocation, 1–1000. */
  readonly batchSize: number;
  /** How long to gather a batch before invoking, 0–300 s. */
  readonly maxBatchingWindowSeconds: number;
  /**
   * Re-deliveries of a failed batch before its records are skipped (0–10000). The handler may
   * answer `{ batchItemFailures: [{ itemIdentifier: <SequenceNumber> }] }` to retry from that
   * record only.
   */
  readonly retryAttempts: number;
  /** Only these records reach the handler (an event filter in the cloud, the same test locally). */
  readonly filter?: {
    readonly eventNames?: readonly StreamEventName[];
    /** The partition key (`pk`) starts with this, e.g. `OUTBOX#`. */
    readonly partitionKeyPrefix?: string;
  };
}

/** A function invoked on a fixed rate (a `ScheduledEvent` from an EventBridge rule). */
export interface ScheduleTrigger {
  readonly kind: "schedule";
  /** 1 minute or more. */
  readonly everyMinutes: number;
}

/** How a workflow execution can end (Step Functions execution statuses). */
export type ExecutionEndStatus = "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

/**
 * A function invoked when an execution of a WORKFLOWS state machine ends in one of `statuses`:
 * an EventBridge rule on the "Step Functions Execution Status Change" event in the cloud, and
 * the same event from the local Step Functions endpoint when an execution ends there (D-134).
 */
export interface ExecutionStatusTrigger {
  readonly kind: "execution-status";
  /** The WORKFLOWS row id whose executions are watched. */
  readonly workflow: string;
  readonly statuses: readonly ExecutionEndStatus[];
}

/**
 * A function invoked when an object is created in one of the platform's buckets (D-232): an
 * EventBridge rule on S3's "Object Created" event for that bucket in the cloud (the bucket sends
 * its events to EventBridge), and the same event from the local stack's object route once it has
 * stored the object. Delivered at least once (retried on a failure), so the handler is
 * idempotent.
 */
export interface ObjectCreatedTrigger {
  readonly kind: "object-created";
  /** The bucket's id, as grants name it (`MeterUploads`). */
  readonly bucket: string;
}

/**
 * A function fed the dead letters of another CONSUMERS row (D-233): what that row's trigger
 * could not deliver or its function failed on every attempt. In the cloud an SQS queue (the
 * EventBridge target's dead-letter queue and the function's on-failure destination) read by an
 * event source mapping, its visible messages alarmed; locally the same SQS event, after the
 * object route's last retry.
 */
export interface DeadLetterTrigger {
  readonly kind: "dead-letter";
  /** The CONSUMERS row (an object-created one) whose dead letters it reads. */
  readonly of: string;
}

export interface Consumer {
  /** PascalCase, identical to the handler file in kebab-case. */
  readonly id: string;
  readonly entry: string;
  readonly description: string;
  readonly trigger:
    | StreamTrigger
    | ScheduleTrigger
    | ExecutionStatusTrigger
    | ObjectCreatedTrigger
    | DeadLetterTrigger;
  /** What the handler touches besides its trigger (functions/wiring.ts). */
  readonly grants: Grants;
  /** @default 60 */
  readonly timeoutSeconds?: number;
  /** @default 512 */
  readonly memorySize?: number;
}

export const CONSUMERS: readonly Consumer[] = [
  {
    id: "CycleExecutionEnded",
    entry: "functions/events/handlers/cycle-execution-ended.ts",
    description:
      "a day-ahead execution failed, timed out or was stopped: publish the fallback MOL, mark the cycle failed, alert the operator",
    trigger: {
      kind: "execution-status",
      workflow: "DayAheadCycle",
      statuses: ["FAILED", "TIMED_OUT", "ABORTED"],
    },
    grants: { table: "readWrite", topic: { Alarms: "publish" } },
  },
  {
    id: "WebhookDispatcher",
    entry: "functions/events/handlers/webhook-dispatcher.ts",
    description:
      "fans each outbox event out to its endpoints' deliveries and makes the first attempts (R-NOTIFY-3..7)",
    trigger: {
      kind: "stream",
      startingPosition: "TRIM_HORIZON",
      batchSize: 100,
      maxBatchingWindowSeconds: 0,
      retryAttempts: 10_000,
      filter: { eventNames: ["INSERT"], partitionKeyPrefix: "OUTBOX#" },
    },
    grants: { table: "readWrite", key: { WebhookSecrets: "decrypt" } },
    timeoutSeconds: 120,
  },
  {
    id: "TopologyChanges",
    entry: "functions/events/handlers/topology-changes.ts",
    description:
      "applies each scheme-day's received topology changes in receive order, when the request that received one did not finish (R-VERIFY-2..6, D-260)",
    trigger: {
      kind: "stream",
      startingPosition: "TRIM_HORIZON",
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
      retryAttempts: 10_000,
      filter: { eventNames: ["INSERT"], partitionKeyPrefix: "TOPOLOGY#" },
    },
    grants: { table: "readWrite", topic: { Alarms: "publish" } },
    timeoutSeconds: 120,
  },
  {
    id: "WebhookRetries",
    entry: "functions/events/handlers/webhook-retries.ts",
    description:
      "makes the due webhook attempts (R-NOTIFY-6 schedule, manual retries, lapsed leases)",
    trigger: { kind: "schedule", everyMinutes: 1 },
    grants: { table: "readWrite", key: { WebhookSecrets: "decrypt" } },
    timeoutSeconds: 90,
  },
  {
    id: "ScheduleSettlement",
    entry: "functions/events/handlers/schedule-settlement.ts",
    description:
      "starts the previous month's settlement run once its meter deadline has passed (R-SETTLE-7, D-227)",
    trigger: { kind: "schedule", everyMinutes: 60 },
    grants: { table: "readWrite", workflow: { SettlementRun: "start" } },
  },
  {
    id: "MeterUploadReceived",
    entry: "functions/events/handlers/meter-upload-received.ts",
    description:
      "checks and stores a meter file put to a pre-signed upload URL, as a body of its type, and records the upload's outcome once (R-PERF-2, D-232)",
    trigger: { kind: "object-created", bucket: "MeterUploads" },
    grants: { table: "readWrite", bucket: { MeterUploads: "read" } },
    // D-223's 100 MiB file (~2.5 M readings): about a minute to read locally, and the writes.
    timeoutSeconds: 900,
    memorySize: 3008,
  },
  {
    id: "MeterUploadFailed",
    entry: "functions/events/handlers/meter-upload-failed.ts",
    description:
      "records a meter upload whose every processing attempt failed as failed, once, and alerts the operator (D-233)",
    trigger: { kind: "dead-letter", of: "MeterUploadReceived" },
    grants: { table: "readWrite", topic: { Alarms: "publish" } },
  },
];
