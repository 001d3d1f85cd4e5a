import { publishOriginalStep } from "../../core/use-cases/cycle-steps";
import { cycleStep } from "../cycle-step";

/** Task state `PublishOriginal` of the day-ahead cycle. Fallback: publishes the MOL as received (§10). */
export const handler = cycleStep("PublishOriginal", (ports, ref) =>
  publishOriginalStep(ports, ref.cycleId),
);
