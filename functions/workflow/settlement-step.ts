import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import * as z from "zod";
import type { SettlementPorts } from "../core/use-cases/settlement";
import { logger } from "../runtime/logger";
import * as ports from "../runtime/ports";

const deps = ports.compose({
  clock: ports.clock,
  assets: ports.assets,
  claims: ports.claims,
  schemes: ports.schemes,
  cycles: ports.cycles,
  markets: ports.markets,
  orders: ports.orders,
  trades: ports.trades,
  meritOrders: ports.meritOrders,
  topologyChanges: ports.topologyChanges,
  actuals: ports.actuals,
  nominations: ports.nominations,
  meters: ports.meters,
  settlement: ports.settlement,
  settlementWorkflow: ports.settlementWorkflow,
});

/**
 * What the states of the settlement run pass each other: the run's id, the scheme-days PrepareRun
 * listed (ids, for the Map), one of them inside the Map, and `error` set by a Catch. Never bulk
 * data: lines and statements stay in the table.
 */
export const SettlementRefSchema = z.object({
  settlementRunId: z.string().regex(/^srun-[0-9a-f]{20}$/),
  days: z.array(z.string().max(300)).max(5000).optional(),
  day: z.string().max(300).optional(),
  error: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
});

export type SettlementRef = z.infer<typeof SettlementRefSchema>;

/**
 * A Task state of the settlement run: checks its input, runs one use case with the settlement
 * ports, logs it and returns what the next state needs (by default the run id alone). Every use
 * case is idempotent, so the ASL's Retry after a crash leaves the same stored state.
 */
export function settlementStep(
  state: string,
  step: (ports: SettlementPorts, ref: SettlementRef) => Promise<unknown>,
  output: (ref: SettlementRef, result: unknown) => unknown = (ref) => ({
    settlementRunId: ref.settlementRunId,
  }),
) {
  return middy<unknown, unknown>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (input) => {
      const ref = SettlementRefSchema.parse(input);
      const started = performance.now();
      const result = await step(deps, ref);
      logger.info("settlement step done", {
        state,
        settlementRunId: ref.settlementRunId,
        day: ref.day,
        ms: Math.round(performance.now() - started),
        result: result ?? null,
      });
      return output(ref, result);
    });
}
