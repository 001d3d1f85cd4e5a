import { getCycle } from "../../core/use-cases/market-queries";
import * as ports from "../../runtime/ports";
import { cycleView } from "../market-views";
import { httpHandler } from "../middleware/http-handler";
import { pathParameter } from "../middleware/parse-path";
import { json } from "../responses";

const deps = ports.compose({ cycles: ports.cycles });

/** GET /cycles/{cycleId} (operator): status, current step, failure (step, error, cause). */
export const handler = httpHandler(async (event) =>
  json(200, cycleView(await getCycle(deps, pathParameter(event, "cycleId")))),
);
