import { ingestStep } from "../../core/use-cases/cycle-steps";
import { cycleStep } from "../cycle-step";

/** Task state `IngestLookAhead` of the day-ahead cycle. Checks the stored look-ahead and cancels what a superseded cycle left open (R-IN-3). */
export const handler = cycleStep("IngestLookAhead", (ports, ref) => ingestStep(ports, ref.cycleId));
