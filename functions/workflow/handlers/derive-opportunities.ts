import { deriveStep } from "../../core/use-cases/cycle-steps";
import { cycleStep } from "../cycle-step";

/** Task state `DeriveOpportunities` of the day-ahead cycle. Derives markets and opportunities (R-ALLOC, R-EVENT, R-ELIG). */
export const handler = cycleStep("DeriveOpportunities", (ports, ref) =>
  deriveStep(ports, ref.cycleId),
);
