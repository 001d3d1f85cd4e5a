import { completeRunStep } from "../../core/use-cases/settlement";
import { settlementStep } from "../settlement-step";

/** Task state `CompleteRun`: the run completed, its statements visible, the month's lock released. */
export const handler = settlementStep("CompleteRun", (ports, ref) =>
  completeRunStep(ports, ref.settlementRunId),
);
