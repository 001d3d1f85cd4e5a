import { pendingCycleStep } from "../cycle-step";

/** Task state `Match` of the day-ahead cycle: passes its ids on (issue 5 adds the work). */
export const handler = pendingCycleStep("Match");
