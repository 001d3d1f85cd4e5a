import { NotFoundError } from "../../core/errors";
import { causeMessage } from "../../core/use-cases/cycle-steps";
import { deps } from "../../runtime/deps";
import { marketDeps } from "../../runtime/market-deps";
import { httpHandler } from "../middleware/http-handler";
import { json } from "../responses";

/**
 * GET /cycles/{cycleId}/execution (operator): the Step Functions execution and its event history
 * (DescribeExecution, GetExecutionHistory), in the cloud and locally alike.
 */
export const handler = httpHandler(async (event) => {
  const cycleId = event.pathParameters?.cycleId ?? "";
  const cycle = await marketDeps.repositories.cycles.getCycle(cycleId);
  if (!cycle?.executionArn) throw new NotFoundError(`An execution of cycle ${cycleId}`);
  const [summary, events] = await Promise.all([
    deps.workflow.describe(cycle.executionArn),
    deps.workflow.history(cycle.executionArn),
  ]);
  // Lambda error documents carry stack traces: only the message reaches the operator.
  const clean = <T extends { cause?: string }>(e: T): T =>
    e.cause === undefined ? e : { ...e, cause: causeMessage(e.cause) };
  return json(200, { ...clean(summary), events: events.map(clean) });
});
