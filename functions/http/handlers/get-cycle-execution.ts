import { cycleExecution } from "../../core/use-cases/market-queries";
import * as ports from "../../runtime/ports";
import { httpHandler } from "../middleware/http-handler";
import { pathParameter } from "../middleware/parse-path";
import { json } from "../responses";

const deps = ports.compose({ cycles: ports.cycles, workflow: ports.workflow });

/**
 * GET /cycles/{cycleId}/execution (operator): the Step Functions execution and its event history
 * (DescribeExecution, GetExecutionHistory), in the cloud and locally alike.
 */
export const handler = httpHandler(async (event) =>
  json(200, await cycleExecution(deps, pathParameter(event, "cycleId"))),
);
