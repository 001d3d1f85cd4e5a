import { markFailedStep } from "../../core/use-cases/cycle-steps";
import { cycleStep } from "../cycle-step";

/** Task state `MarkFailed`: the cycle is `failed` with the failing step, error and cause. */
export const handler = cycleStep("MarkFailed", (ports, ref) =>
  markFailedStep(ports, ref.cycleId, ref.error),
);
