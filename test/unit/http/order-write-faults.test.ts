import { ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyResult } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../../functions/adapters/clock";
import { marketKeys } from "../../../functions/adapters/keys";
import { handler as submitOrder } from "../../../functions/http/handlers/submit-order";
import { ROUTES } from "../../../functions/http/routes";
import { dynamoDocumentClient } from "../../../functions/runtime/clients";
import { clockSource } from "../../../functions/runtime/deps";
import { lambdaContext } from "../../../lib/local/lambda-context";
import { cancelledTransaction } from "../../support/mocked-dynamo";
import { restEvent } from "../../support/rest-event";

/**
 * FI at the HTTP edge: POST /orders whose transaction keeps being cancelled by conflicts, or whose
 * reads are throttled, answers a clean 503 TEMPORARILY_UNAVAILABLE problem with Retry-After —
 * never a 500, never AWS text (D-32). DynamoDB is mocked with aws-sdk-client-mock.
 */
process.env.TABLE_NAME ??= "bitrader-test";
process.env.POWERTOOLS_LOG_LEVEL = "SILENT";

const ddb = mockClient(DynamoDBDocumentClient);
const route = ROUTES.find((r) => r.id === "SubmitOrder")!;
const NOW = Date.parse("2026-12-01T10:00:00Z");
const market = {
  marketId: "mkt-1",
  anmSchemeId: "S1",
  deliveryDate: "2026-12-02",
  constraintId: "C1",
  cycleId: "cyc-1",
  status: "open",
  gateClosureMs: Date.parse("2026-12-01T12:00:00Z"),
};
const opportunity = {
  marketId: "mkt-1",
  entryId: "G4-A",
  side: "buy",
  participantId: "par-1",
  maxQuantityKw: 4500,
};
const bid = {
  marketId: "mkt-1",
  entryId: "G4-A",
  side: "buy",
  quantityMw: 1,
  availabilityPrice: 20,
  utilisationPrice: 40,
};

function post(headers: Record<string, string> = {}): Promise<APIGatewayProxyResult> {
  const event = restEvent({
    route,
    body: JSON.stringify(bid),
    headers,
    caller: { role: "participant", principalId: "par-1" },
  });
  return submitOrder(event, lambdaContext("SubmitOrder")) as Promise<APIGatewayProxyResult>;
}

const conflict = () => cancelledTransaction("None", "TransactionConflict", "None", "None");
const throttled = () =>
  new ProvisionedThroughputExceededException({
    message:
      "The level of configured provisioned throughput for the table was exceeded (arn:aws:dynamodb:eu-west-2:1:table/t)",
    $metadata: { httpStatusCode: 400 },
  });

function expectCleanUnavailable(response: APIGatewayProxyResult) {
  expect(response.statusCode).toBe(503);
  expect(response.headers?.["content-type"]).toBe("application/problem+json");
  expect(response.headers?.["retry-after"]).toBe("1");
  const body = JSON.parse(response.body);
  expect(body).toMatchObject({
    status: 503,
    code: "TEMPORARILY_UNAVAILABLE",
    type: "urn:bitrader:problem:temporarily-unavailable",
  });
  expect(response.body).not.toMatch(
    /Transaction|Exception|arn:|dynamodb|throughput|Cancel|\bat .*\.(ts|js)/i,
  );
}

beforeEach(() => {
  ddb.reset();
  clockSource.current = { nowMs: () => NOW };
  ddb.on(GetCommand, { Key: marketKeys.market("mkt-1") }).resolves({ Item: market });
  // The scheme has stored no configuration: the defaults apply.
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb
    .on(GetCommand, { Key: marketKeys.opportunity("cyc-1", "mkt-1", "buy", "G4-A") })
    .resolves({ Item: opportunity });
});

afterAll(() => {
  clockSource.current = systemClock;
  ddb.restore();
});

describe("POST /orders when DynamoDB is contended or throttled", () => {
  it("places the order (201) when a conflict clears within the retries", async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(conflict()).resolves({});
    const response = await post();
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body)).toMatchObject({ status: "open", quantityMw: 1 });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it("answers 503 TEMPORARILY_UNAVAILABLE with Retry-After when conflicts outlast the retries", async () => {
    ddb.on(TransactWriteCommand).rejects(conflict());
    expectCleanUnavailable(await post());
    // As many attempts as the handlers' SDK client allows (its retry strategy's max attempts).
    const maxAttempts = await dynamoDocumentClient().config.maxAttempts();
    expect(maxAttempts).toBeGreaterThan(1);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(maxAttempts);
  });

  it("answers 503 when a read is throttled", async () => {
    ddb.on(GetCommand, { Key: marketKeys.market("mkt-1") }).rejects(throttled());
    expectCleanUnavailable(await post());
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it("answers 503 when the write is throttled, and releases the Idempotency-Key so the retry runs", async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(throttled()).resolves({});
    ddb.on(PutCommand).resolves({});
    ddb.on(DeleteCommand).resolves({});
    const key = { "Idempotency-Key": "0b8d1c1e-4a55-4d0e-9d7b-2f3c1a7e9f10" };
    expectCleanUnavailable(await post(key));
    expect(ddb.commandCalls(DeleteCommand)).toHaveLength(1);
    const retried = await post(key);
    expect(retried.statusCode).toBe(201);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });
});
