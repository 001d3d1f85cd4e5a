import { closeStep } from "../../core/use-cases/cycle-steps";
import { cycleStep } from "../cycle-step";

/** Task state `CloseMarkets` of the day-ahead cycle. Closes the markets at gate closure (R-GATE-1). */
export const handler = cycleStep("CloseMarkets", (ports, ref) => closeStep(ports, ref.cycleId));
