import { issueStatementsStep } from "../../core/use-cases/settlement";
import { settlementStep } from "../settlement-step";

/** Task state `IssueStatements`: the statement versions whose lines changed, staged with their events. */
export const handler = settlementStep("IssueStatements", (ports, ref) =>
  issueStatementsStep(ports, ref.settlementRunId),
);
