import { type DynamoDBDocumentClient, paginateScan } from "@aws-sdk/lib-dynamodb";
import { LIVE_CYCLE_STATUSES } from "../../functions/core/use-cases/cycle-attempts";

/**
 * The cycles of the local table whose workflow had not ended (status running or markets-open),
 * for the local stack's resume on start (D-201). Local infrastructure: executions of the local
 * Step Functions endpoint live in memory, so after a restart every such cycle needs its next
 * attempt. A Scan is fine here: it runs once per start, on one machine's table; the cloud has
 * durable executions and never needs it.
 */
export async function liveCycleIds(
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of paginateScan(
    { client },
    {
      TableName: tableName,
      FilterExpression: `sk = :cycle AND #status IN (${LIVE_CYCLE_STATUSES.map((_, i) => `:s${i}`).join(", ")})`,
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":cycle": "CYCLE",
        ...Object.fromEntries(LIVE_CYCLE_STATUSES.map((s, i) => [`:s${i}`, s])),
      },
      ProjectionExpression: "cycleId",
      ConsistentRead: true,
    },
  ))
    for (const item of page.Items ?? []) ids.push(String(item.cycleId));
  return ids.sort();
}
