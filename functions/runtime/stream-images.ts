import type { AttributeValue as SdkAttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";

/**
 * The new image of a stream record as a plain item (the SDK's `unmarshall`), or undefined for
 * a record without one (a REMOVE). For stream consumers: they see the item that was written.
 */
export function newImageOf(record: DynamoDBRecord): Record<string, unknown> | undefined {
  const image = record.dynamodb?.NewImage;
  if (image === undefined) return undefined;
  return unmarshall(image as Record<string, SdkAttributeValue>);
}
