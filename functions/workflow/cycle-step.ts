import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import { z } from "zod";
import { logger } from "../runtime/logger";

/**
 * What the states of the day-ahead cycle pass each other: ids only, never bulk data (the 256 KB
 * payload limit). `gateClosureAt` drives the WaitForGateClosure state; `error` is set by a Catch.
 */
export const CycleRefSchema = z.object({
  cycleId: z.string().min(1),
  lookAheadId: z.string().min(1).optional(),
  gateClosureAt: z.iso.datetime({ offset: true }),
  error: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
});

export type CycleRef = z.infer<typeof CycleRefSchema>;

/**
 * A cycle step that does no work yet: it checks its input, logs that the step was reached and
 * returns the same ids. Issue 5 (the day-ahead cycle) replaces each with its use case.
 */
export function pendingCycleStep(state: string) {
  return middy<unknown, CycleRef>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (input) => {
      const ref = CycleRefSchema.parse(input);
      logger.info("cycle step reached; not implemented yet (issue 5)", {
        state,
        cycleId: ref.cycleId,
      });
      return ref;
    });
}
