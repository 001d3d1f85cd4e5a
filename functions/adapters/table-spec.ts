/**
 * TABLE_SPEC — data only: the one DynamoDB table (single-table design). The CDK table
 * (`lib/constructs/market-table.ts`) and the local tables (`functions/adapters/create-tables.ts`)
 * are both built from it; an infra test fails if they drift.
 *
 * Index names and key attributes are generic on purpose: item shapes choose what to put in
 * `gsi1pk`/`gsi1sk` and `gsi2pk`/`gsi2sk` (see `keys.ts`, the only place keys are built).
 */
export interface IndexSpec {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export interface TableSpec {
  /** Logical name; the local table is called this, the cloud table gets a generated name. */
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly globalSecondaryIndexes: readonly IndexSpec[];
  /** Epoch-seconds attribute DynamoDB expires items by (idempotency records). */
  readonly timeToLiveAttribute: string;
  /** What the table's stream carries for each change; CONSUMERS with a stream trigger read it. */
  readonly streamViewType: "NEW_IMAGE" | "NEW_AND_OLD_IMAGES";
}

export const TABLE_SPEC = {
  name: "bitrader",
  partitionKey: "pk",
  sortKey: "sk",
  globalSecondaryIndexes: [
    { indexName: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
    { indexName: "gsi2", partitionKey: "gsi2pk", sortKey: "gsi2sk" },
  ],
  timeToLiveAttribute: "expiration",
  streamViewType: "NEW_AND_OLD_IMAGES",
} as const satisfies TableSpec;
