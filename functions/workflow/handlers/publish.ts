import { publishStep } from "../../core/use-cases/cycle-steps";
import { cycleStep } from "../cycle-step";

/** Task state `Publish` of the day-ahead cycle. Publishes the re-ordered MOLs and notifies the traders. */
export const handler = cycleStep("Publish", (ports, ref) => publishStep(ports, ref.cycleId));
