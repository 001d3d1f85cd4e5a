import { prepareRunStep } from "../../core/use-cases/settlement";
import { settlementStep } from "../settlement-step";

/** Task state `PrepareRun` of the settlement run: the month's scheme-days, for the Map. */
export const handler = settlementStep(
  "PrepareRun",
  (ports, ref) => prepareRunStep(ports, ref.settlementRunId),
  (ref, result) => ({
    settlementRunId: ref.settlementRunId,
    days: (result as { days: string[] }).days,
  }),
);
