import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { type IKey, Key } from "aws-cdk-lib/aws-kms";
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  type IBucket,
  ObjectOwnership,
} from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import { MarketTable } from "../constructs/market-table";

/**
 * The stateful stack, deployed once and rarely changed: the single table (on-demand, PITR,
 * RETAIN), the KMS key that wraps the data keys of webhook secrets (R-NOTIFY-2; yearly rotation,
 * RETAIN: without it no stored secret could be opened) and the meter-upload bucket (files over
 * the API's 1 MiB body limit, put through pre-signed URLs and kept as received: private,
 * encrypted, TLS only, RETAIN, access-logged).
 */
export class DataStack extends Stack {
  readonly table: ITable;
  /** KMS keys by the id `key` grants name them with. */
  readonly keys: Readonly<Record<string, IKey>>;
  /** Buckets the grants name by id (`bucket: { MeterUploads: … }`). */
  readonly buckets: Readonly<Record<string, IBucket>>;
  /** The same buckets' names (fixed: `bitrader-<id>-<account>-<region>`), for other stacks. */
  readonly bucketNames: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.table = new MarketTable(this, "MarketTable").table;
    const logs = new Bucket(this, "MeterUploadLogs", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: "AwsSolutions::AwsSolutions-S1",
      reason:
        "This is the access-log bucket of the meter-upload bucket; logging it into itself would loop.",
    });
    const uploadsName = `bitrader-meter-uploads-${this.account}-${this.region}`;
    const uploads = new Bucket(this, "MeterUploads", {
      bucketName: uploadsName,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: "s3/",
      // A pre-signed PUT from a browser (the console) needs CORS; the URL itself authorizes.
      cors: [{ allowedMethods: [HttpMethods.PUT], allowedOrigins: ["*"], allowedHeaders: ["*"] }],
      // Uploads are settlement evidence (R-PERF-2): kept as received.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.buckets = { MeterUploads: uploads };
    this.bucketNames = { MeterUploads: uploadsName };
    this.keys = {
      WebhookSecrets: new Key(this, "WebhookSecretsKey", {
        description: "BiTraDER: wraps the data keys that encrypt webhook endpoint secrets",
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
    };
  }
}
