/**
 * WIRING — data only, imported by every layer and by the CDK app: the kinds of resource a
 * function may be granted, the access levels of each, and the environment variable that tells a
 * function where its resource is. ROUTES, WORKFLOWS and CONSUMERS declare what each function
 * needs with {@link Grants}; the cloud (`lib/constructs/market-function.ts`) turns a grant into
 * IAM statements and a variable, the local stack (`lib/local/bindings.ts`) into the same
 * variable pointing at its local counterpart, and a test fails if the two sides drift.
 */

/** Every grant kind and its access levels (least privilege: nothing else is ever granted). */
export const GRANT_KINDS = {
  /**
   * The single table (TABLE_SPEC): items by key and index; never Scan. `readUpdate` reads and
   * updates existing items only (the authorizer's key last use, D-197): no put, no delete.
   */
  table: ["read", "readUpdate", "readWrite"],
  /** The table's stream: the records of its changes (stream consumers get it with their trigger). */
  stream: ["read"],
  /** A WORKFLOWS state machine: `start` also reads and stops executions, `read` only reads. */
  workflow: ["start", "read"],
  /** An S3 bucket's objects. */
  bucket: ["read", "write", "readWrite"],
  /** An SQS queue: send to it, or consume from it. */
  queue: ["send", "consume"],
  /** One-off schedules (EventBridge Scheduler) in the platform's schedule group. */
  schedule: ["manage"],
  /** An SNS topic, by id: publish to it (the operator's alarm topic, `Alarms`, D-135). */
  topic: ["publish"],
  /**
   * A KMS key (by id): `encrypt` makes data keys wrapped by it (GenerateDataKey), `decrypt`
   * unwraps them (Decrypt). Locally a key file under the data directory stands in for it.
   */
  key: ["encrypt", "decrypt", "encryptDecrypt"],
} as const satisfies Record<string, readonly string[]>;

export type GrantKind = keyof typeof GRANT_KINDS;
export type GrantLevel<K extends GrantKind> = (typeof GRANT_KINDS)[K][number];

/**
 * What one function may touch. Kinds with several resources name each by its id (a WORKFLOWS
 * row id, a bucket or queue id); the stack grants exactly this and nothing more.
 */
export interface Grants {
  /** @default none */
  readonly table?: GrantLevel<"table">;
  /** @default none */
  readonly stream?: GrantLevel<"stream">;
  /** Workflow id (a WORKFLOWS row) → access. @default none */
  readonly workflow?: Readonly<Record<string, GrantLevel<"workflow">>>;
  /** Bucket id → access. @default none */
  readonly bucket?: Readonly<Record<string, GrantLevel<"bucket">>>;
  /** Queue id → access. @default none */
  readonly queue?: Readonly<Record<string, GrantLevel<"queue">>>;
  /** @default none */
  readonly schedule?: GrantLevel<"schedule">;
  /** Topic id → access. @default none */
  readonly topic?: Readonly<Record<string, GrantLevel<"topic">>>;
  /** Key id → access. @default none */
  readonly key?: Readonly<Record<string, GrantLevel<"key">>>;
}

const snake = (id: string) => id.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

/**
 * The environment variable(s) a grant of `kind` sets, for a resource `id` where the kind has
 * several. Workflows are named by their WORKFLOWS row (`arnVariable`), not here.
 */
export const GRANT_VARIABLES = {
  table: () => ["TABLE_NAME"],
  stream: () => ["TABLE_STREAM_ARN"],
  bucket: (id: string) => [`BUCKET_${snake(id)}_NAME`],
  queue: (id: string) => [`QUEUE_${snake(id)}_URL`],
  schedule: () => ["SCHEDULE_GROUP_NAME", "SCHEDULER_ROLE_ARN"],
  topic: (id: string) => [`TOPIC_${snake(id)}_ARN`],
  key: (id: string) => [`KEY_${snake(id)}_ARN`],
} as const satisfies Record<Exclude<GrantKind, "workflow">, (id: string) => readonly string[]>;
