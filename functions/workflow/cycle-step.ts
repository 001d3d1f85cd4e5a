import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import * as z from "zod";
import type { CyclePorts } from "../core/use-cases/cycle-steps";
import { logger } from "../runtime/logger";
import * as ports from "../runtime/ports";

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
});

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
 * A Task state of the day-ahead cycle: checks its input, runs one use case with the cycle's
 * ports, logs what it did and passes the same ids on. A thrown error fails the Task; the ASL's
 * Retry and Catch decide what happens next. Every use case is idempotent, so a retry after a
 * crash leaves the same stored state.
 */
export function cycleStep(
  state: string,
  step: (ports: CyclePorts, ref: CycleRef) => Promise<unknown>,
) {
  return middy<unknown, CycleRef>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (input) => {
      const ref = CycleRefSchema.parse(input);
      const started = performance.now();
      logger.info("cycle step started", { state, cycleId: ref.cycleId });
      const result = await step(deps, ref);
      logger.info("cycle step done", {
        state,
        cycleId: ref.cycleId,
        ms: Math.round(performance.now() - started),
        result: result ?? null,
      });
      return ref;
    });
}
