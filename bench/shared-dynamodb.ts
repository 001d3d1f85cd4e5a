import type { LocalStackOptions } from "../lib/local/local-stack";

/** The variable through which bench/run.ts hands its DynamoDB Local to the section processes. */
export const SHARED_DYNAMODB_VARIABLE = "BENCH_SHARED_DYNAMODB";

/**
 * The local-stack options of a section when the run shares one DynamoDB Local among the
 * sections (the quick run, D-128): that java process and a table of the section's own. Empty
 * when the section starts its own (the full run: no section's requests under another's).
 */
export function sharedDynamoDbOf(
  section: string,
): Pick<LocalStackOptions, "sharedDynamoDb" | "tableName"> {
  const json = process.env[SHARED_DYNAMODB_VARIABLE];
  if (!json) return {};
  const shared = JSON.parse(json) as { endpoint: string; pid: number };
  return { sharedDynamoDb: shared, tableName: `bench-${section}-${process.pid}` };
}
