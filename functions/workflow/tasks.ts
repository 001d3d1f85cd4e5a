import type { ResourceGrants } from "../http/routes";

/**
 * TASK TABLE — data only: each Task state of the day-ahead cycle ASL, its handler, and the
 * `${…}` placeholder its Lambda ARN replaces. The stack (`definitionSubstitutions`) and the local
 * Step Functions runner (each Task overridden by its in-process handler) both read it; an infra
 * test fails if the ASL's placeholders and these keys drift.
 */
export interface WorkflowTask {
  /** The ASL state name, PascalCase, identical to the handler file in kebab-case. */
  readonly state: string;
  readonly entry: string;
  /** The placeholder in the ASL: `${<substitution>}`. */
  readonly substitution: string;
  readonly grants: ResourceGrants;
}

export const WORKFLOW = {
  id: "DayAheadCycle",
  /** Also the local state machine's name. */
  name: "day-ahead-cycle",
  definitionFile: "statemachines/day-ahead-cycle.asl.json",
} as const;

const task = (state: string, file: string): WorkflowTask => ({
  state,
  entry: `functions/workflow/handlers/${file}.ts`,
  substitution: `${state}FunctionArn`,
  // Every step reads and writes the cycle's items in the one table; none calls Step Functions.
  grants: { table: "readWrite" },
});

export const TASKS = [
  task("IngestLookAhead", "ingest-look-ahead"),
  task("DeriveOpportunities", "derive-opportunities"),
  task("OpenMarkets", "open-markets"),
  task("CloseMarkets", "close-markets"),
  task("Match", "match"),
  task("ReorderMeritOrder", "reorder-merit-order"),
  task("Publish", "publish"),
  task("PublishOriginal", "publish-original"),
  task("MarkFailed", "mark-failed"),
] as const satisfies readonly WorkflowTask[];
