import * as z from "zod";
import { ROLES } from "../core/access/roles";
import { WORKFLOWS } from "../workflow/workflows";

/**
 * ENV — the environment every function reads, validated once with zod on first use (cold start).
 * Names are the contract between the stack (`lib/constructs/market-function.ts`, from the grants
 * of `functions/wiring.ts` and WORKFLOWS), the local stack (`lib/local/bindings.ts`) and the code.
 */
const UsageKeysSchema = z.partialRecord(z.enum(ROLES), z.string().min(20));

/**
 * The shapes most variables share, each built once: a zod schema is immutable and may sit under
 * any number of keys, and every function builds this schema on its cold start.
 */
const optionalArn = z.string().startsWith("arn:").optional();
const optionalText = z.string().min(1).optional();
const optionalUrl = z.url().optional();

/** Each WORKFLOWS row's state machine ARN; set by a workflow grant. */
const workflowArns = Object.fromEntries(
  WORKFLOWS.map((workflow) => [workflow.arnVariable, optionalArn]),
);

export const EnvSchema = z.object({
  AWS_REGION: z.string().min(1).default("eu-west-2"),
  /** The single table (TABLE_SPEC); set by a table grant. */
  TABLE_NAME: optionalText,
  /** The table's stream; set by a stream grant. */
  TABLE_STREAM_ARN: optionalArn,
  /** The day-ahead cycle state machine (the DayAheadCycle row's `arnVariable`). */
  STATE_MACHINE_ARN: optionalArn,
  ...workflowArns,
  /** Local only: DynamoDB Local's URL. */
  DYNAMODB_ENDPOINT: optionalUrl,
  /** Local only: the local Step Functions endpoint's URL. */
  SFN_ENDPOINT: optionalUrl,
  /** Local only: the local object route's URL (S3 requests, path-style). */
  S3_ENDPOINT: optionalUrl,
  /** The meter upload bucket; set by a `bucket: { MeterUploads }` grant. */
  BUCKET_METER_UPLOADS_NAME: optionalText,
  /** The operator's alarm topic (a `topic: { Alarms: "publish" }` grant, D-135). */
  TOPIC_ALARMS_ARN: optionalArn,
  /** Local only: the local SNS endpoint's URL. */
  SNS_ENDPOINT: optionalUrl,
  /** D-119: the console's origin, the one the API answers CORS for (route functions). */
  CORS_ORIGIN: z
    .string()
    .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/)
    .optional(),
  /** D-150: registrations one client address may make per hour. */
  REGISTRATIONS_PER_HOUR: z.coerce.number().int().min(1).default(20),
  /** The KMS key that wraps webhook secrets' data keys; set by a key grant (WebhookSecrets). */
  KEY_WEBHOOK_SECRETS_ARN: optionalArn,
  /** Local only: the directory of the local stack's key files (instead of KMS). */
  LOCAL_KEY_DIR: optionalText,
  /** Local only: receivers at http://127.0.0.1:<port> and http://localhost:<port> (R-NOTIFY-1). */
  WEBHOOK_ALLOW_LOCAL_HTTP: z.enum(["true", "false"]).optional(),
  /**
   * Delivery settings (defaults: R-NOTIFY-6). Delays before attempts 2–10 in ms, comma-separated
   * (tests shorten them); one attempt's timeout; the lease of a claim; attempts in flight per
   * dispatcher and per endpoint; the pause between looks at due deliveries; DNS servers
   * (`host:port`, comma-separated) instead of the system's.
   */
  WEBHOOK_RETRY_DELAYS_MS: z
    .string()
    .regex(/^\d+(,\d+){8}$/, { message: "nine delays in ms, comma-separated" })
    .optional(),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).optional(),
  WEBHOOK_LEASE_MS: z.coerce.number().int().min(1_000).max(900_000).optional(),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  WEBHOOK_PER_ENDPOINT: z.coerce.number().int().min(1).max(64).optional(),
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).optional(),
  WEBHOOK_DNS_SERVERS: optionalText,
  /**
   * Authorizer only: role → API Gateway usage-plan key (JSON). A throttling bucket, not a
   * credential: with API key source AUTHORIZER, API Gateway never accepts it from a client.
   */
  USAGE_KEYS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === "") return {};
      try {
        return UsageKeysSchema.parse(JSON.parse(raw));
      } catch {
        ctx.addIssue({ code: "custom", message: "USAGE_KEYS must be a JSON object role → key" });
        return z.NEVER;
      }
    }),
});

export type Env = z.infer<typeof EnvSchema>;

/** Raised when the deployment forgot a variable: a wiring fault, never a client's. */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
}

let cached: Env | undefined;

/** The validated environment, read from `process.env` once. */
export function env(): Env {
  if (cached === undefined) {
    const parsed = EnvSchema.safeParse(process.env);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join(".")).join(", ");
      throw new ConfigurationError(`invalid environment: ${fields}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** A variable this function cannot work without; fails fast with the variable's name. */
export function required<K extends keyof Env>(name: K): NonNullable<Env[K]> {
  const value = env()[name];
  if (value === undefined || value === null) {
    throw new ConfigurationError(`missing environment variable ${String(name)}`);
  }
  return value as NonNullable<Env[K]>;
}

/** The state machine ARN of a WORKFLOWS row, from the variable its workflow grant sets. */
export function workflowArn(workflow: { readonly arnVariable: string }): string {
  const value = (env() as Record<string, unknown>)[workflow.arnVariable];
  if (typeof value !== "string") {
    throw new ConfigurationError(`missing environment variable ${workflow.arnVariable}`);
  }
  return value;
}
