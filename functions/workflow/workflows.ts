import type { Grants } from "../wiring";

/**
 * WORKFLOWS — data only: every Step Functions workflow, as its ASL file and its task table
 * (Task state ↔ handler ↔ the `${…}` placeholder its Lambda ARN replaces). The CDK app builds
 * one state machine per row (`DefinitionBody.fromFile` + `definitionSubstitutions`) and the
 * local stack runs the same ASL with each Task overridden by its in-process handler; tests fail
 * if an ASL's placeholders, its Task states and the row drift. Adding a workflow is one ASL file
 * in `statemachines/`, one row here, and one handler per Task.
 */
export interface WorkflowTask {
  /** The ASL state name, PascalCase, identical to the handler file in kebab-case. */
  readonly state: string;
  readonly entry: string;
  /** The placeholder in the ASL: `${<substitution>}`. */
  readonly substitution: string;
  readonly grants: Grants;
}

export interface Workflow {
  /** PascalCase; the construct id, and the key other rows grant access by. */
  readonly id: string;
  /** The state machine's name locally (kebab-case). */
  readonly name: string;
  readonly definitionFile: string;
  /** The variable that tells a function granted this workflow its state machine's ARN. */
  readonly arnVariable: string;
  readonly description: string;
  readonly tasks: readonly WorkflowTask[];
}

/** A Task state whose handler is `functions/workflow/handlers/<file>.ts`. */
const task = (state: string, file: string, grants: Grants): WorkflowTask => ({
  state,
  entry: `functions/workflow/handlers/${file}.ts`,
  substitution: `${state}FunctionArn`,
  grants,
});

/** Every step reads and writes its items in the one table; none calls Step Functions. */
const CYCLE_STEP: Grants = { table: "readWrite" };

export const WORKFLOWS = [
  {
    id: "DayAheadCycle",
    name: "day-ahead-cycle",
    definitionFile: "statemachines/day-ahead-cycle.asl.json",
    arnVariable: "STATE_MACHINE_ARN",
    description: "look-ahead in, markets, gate closure, matching, re-ordered merit order out",
    tasks: [
      task("IngestLookAhead", "ingest-look-ahead", CYCLE_STEP),
      task("DeriveOpportunities", "derive-opportunities", CYCLE_STEP),
      task("OpenMarkets", "open-markets", CYCLE_STEP),
      task("CloseMarkets", "close-markets", CYCLE_STEP),
      task("Match", "match", CYCLE_STEP),
      task("ReorderMeritOrder", "reorder-merit-order", CYCLE_STEP),
      task("Publish", "publish", CYCLE_STEP),
      task("PublishOriginal", "publish-original", CYCLE_STEP),
      task("MarkFailed", "mark-failed", CYCLE_STEP),
    ],
  },
  {
    id: "SettlementRun",
    name: "settlement-run",
    definitionFile: "statemachines/settlement-run.asl.json",
    arnVariable: "SETTLEMENT_RUN_ARN",
    description:
      "a month's lines per scheme-day, statement versions and their events, the run completed",
    tasks: [
      task("PrepareRun", "prepare-run", CYCLE_STEP),
      task("ComputeDayLines", "compute-day-lines", CYCLE_STEP),
      task("IssueStatements", "issue-statements", CYCLE_STEP),
      task("CompleteRun", "complete-run", CYCLE_STEP),
      task("MarkRunFailed", "mark-run-failed", CYCLE_STEP),
    ],
  },
] as const satisfies readonly Workflow[];

export type WorkflowId = (typeof WORKFLOWS)[number]["id"];

/** The day-ahead cycle's row. */
export const DAY_AHEAD_CYCLE = WORKFLOWS.find((w) => w.id === "DayAheadCycle")!;

/** The monthly settlement run's row. */
export const SETTLEMENT_RUN = WORKFLOWS.find((w) => w.id === "SettlementRun")!;
