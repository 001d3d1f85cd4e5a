import { markRunFailedStep } from "../../core/use-cases/settlement";
import { settlementStep } from "../settlement-step";

/** Task state `MarkRunFailed`: the run is failed with the step, error and cause; it issues nothing. */
export const handler = settlementStep("MarkRunFailed", (ports, ref) =>
  markRunFailedStep(ports, ref.settlementRunId, ref.error),
);
