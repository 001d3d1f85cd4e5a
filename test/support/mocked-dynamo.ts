import { DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * For the faults DynamoDB Local cannot raise (transaction conflicts, throttling): a document
 * client as the handlers build it, with test credentials, to put under aws-sdk-client-mock's
 * `mockClient`. `maxAttempts` sets the SDK retry strategy's bound (its default when omitted).
 */
export function testDocumentClient(maxAttempts?: number): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: "eu-west-2",
      ...(maxAttempts === undefined ? {} : { maxAttempts }),
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    }),
  );
}

/**
 * A transaction DynamoDB cancelled, with one reason code per item as it sends them (`None` for
 * the items that were not the cause; the others carry a message naming the table, as AWS's do).
 */
export function cancelledTransaction(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(", ")}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({
      Code,
      ...(Code === "None" ? {} : { Message: `${Code} on arn:aws:dynamodb:eu-west-2:1:table/x` }),
    })),
  });
}
