import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { env } from "./env";

/**
 * SDK clients, created once per execution environment. With `DYNAMODB_ENDPOINT` /
 * `SFN_ENDPOINT` / `S3_ENDPOINT` set (the local stack) they talk to DynamoDB Local, the local
 * Step Functions endpoint and the local object route with fixed local credentials; otherwise to
 * AWS with the function's role.
 */
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

function localOverrides(endpoint: string | undefined) {
  return endpoint === undefined ? {} : { endpoint, credentials: LOCAL_CREDENTIALS };
}

let dynamo: DynamoDBDocumentClient | undefined;
let sfn: SFNClient | undefined;
let s3: S3Client | undefined;
let kms: KMSClient | undefined;

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  if (dynamo === undefined) {
    const { AWS_REGION, DYNAMODB_ENDPOINT } = env();
    const client = new DynamoDBClient({ region: AWS_REGION, ...localOverrides(DYNAMODB_ENDPOINT) });
    dynamo = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }
  return dynamo;
}

export function sfnClient(): SFNClient {
  if (sfn === undefined) {
    const { AWS_REGION, SFN_ENDPOINT } = env();
    sfn = new SFNClient({ region: AWS_REGION, ...localOverrides(SFN_ENDPOINT) });
  }
  return sfn;
}

export function s3Client(): S3Client {
  if (s3 === undefined) {
    const { AWS_REGION, S3_ENDPOINT } = env();
    s3 = new S3Client({
      region: AWS_REGION,
      ...localOverrides(S3_ENDPOINT),
      // A pre-signed PUT must not carry a checksum of an empty body (the SDK's default).
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      // The local object route names buckets in the path, as S3 did before virtual hosts.
      ...(S3_ENDPOINT === undefined ? {} : { forcePathStyle: true }),
    });
  }
  return s3;
}

let sns: SNSClient | undefined;

export function snsClient(): SNSClient {
  if (sns === undefined) {
    const { AWS_REGION, SNS_ENDPOINT } = env();
    sns = new SNSClient({ region: AWS_REGION, ...localOverrides(SNS_ENDPOINT) });
  }
  return sns;
}

export function kmsClient(): KMSClient {
  kms ??= new KMSClient({ region: env().AWS_REGION });
  return kms;
}
