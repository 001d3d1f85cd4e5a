import { reorderStep } from "../../core/use-cases/cycle-steps";
import { cycleStep } from "../cycle-step";

/** Task state `ReorderMeritOrder` of the day-ahead cycle. Re-orders the MOLs by the trades (R-REORDER). */
export const handler = cycleStep("ReorderMeritOrder", (ports, ref) =>
  reorderStep(ports, ref.cycleId),
);
