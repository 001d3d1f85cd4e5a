import { matchStep } from "../../core/use-cases/cycle-steps";
import { cycleStep } from "../cycle-step";

/** Task state `Match` of the day-ahead cycle. Matches each market (R-MATCH). */
export const handler = cycleStep("Match", (ports, ref) => matchStep(ports, ref.cycleId));
