import { pendingCycleStep } from "../cycle-step";

/** Task state `MarkFailed` of the day-ahead cycle: passes its ids on (issue 5 adds the work). */
export const handler = pendingCycleStep("MarkFailed");
