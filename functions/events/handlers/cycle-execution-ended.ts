import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import * as z from "zod";
import { cycleExecutionEnded } from "../../core/use-cases/cycle-outcome";
import { logger } from "../../runtime/logger";
import * as ports from "../../runtime/ports";

const deps = ports.compose({
  clock: ports.clock,
  participants: ports.participants,
  assets: ports.assets,
  claims: ports.claims,
  schemes: ports.schemes,
  cycles: ports.cycles,
  markets: ports.markets,
  orders: ports.orders,
  trades: ports.trades,
  meritOrders: ports.meritOrders,
  changes: ports.changes,
  alerts: ports.alerts,
});

/**
 * The "Step Functions Execution Status Change" event EventBridge sends (the fields used). The
 * local Step Functions endpoint sends the same shape when an execution ends there (D-134).
 */
const ExecutionStatusChangeSchema = z.object({
  source: z.literal("aws.states"),
  "detail-type": z.literal("Step Functions Execution Status Change"),
  detail: z.object({
    executionArn: z.string().startsWith("arn:"),
    stateMachineArn: z.string().startsWith("arn:"),
    name: z.string().min(1),
    status: z.enum(["FAILED", "TIMED_OUT", "ABORTED"]),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  }),
});

/**
 * CONSUMERS row `CycleExecutionEnded`: a day-ahead execution failed, timed out or was stopped.
 * Runs the fallback publication for the cycle, if it is still the day's current one (D-134).
 */
export const handler = middy<unknown, unknown>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const { detail } = ExecutionStatusChangeSchema.parse(event);
    const outcome = await cycleExecutionEnded(deps, {
      executionArn: detail.executionArn,
      name: detail.name,
      status: detail.status,
      error: detail.error ?? undefined,
      cause: detail.cause ?? undefined,
    });
    logger.info("execution ended", { ...detail, outcome });
    return { outcome };
  });
