import { openStep } from "../../core/use-cases/cycle-steps";
import { cycleStep } from "../cycle-step";

/** Task state `OpenMarkets` of the day-ahead cycle. Opens the markets and notifies participants. */
export const handler = cycleStep("OpenMarkets", (ports, ref) => openStep(ports, ref.cycleId));
