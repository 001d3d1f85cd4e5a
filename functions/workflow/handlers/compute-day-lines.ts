import { computeDayLinesStep } from "../../core/use-cases/settlement";
import { settlementStep } from "../settlement-step";

/** Task state `ComputeDayLines` (inside the Map): one scheme-day's lines, staged under the run. */
export const handler = settlementStep(
  "ComputeDayLines",
  (ports, ref) => computeDayLinesStep(ports, ref.settlementRunId, ref.day ?? ""),
  (ref) => ({ settlementRunId: ref.settlementRunId, day: ref.day }),
);
