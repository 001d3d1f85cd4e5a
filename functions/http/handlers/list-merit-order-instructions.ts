import { listInstructions } from "../../core/webhooks/instructions";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { InstructionQuerySchema } from "../schemas/webhooks-inputs";

const deps = ports.compose({
  assets: ports.assets,
  cycles: ports.cycles,
  meritOrders: ports.meritOrders,
});

/**
 * GET /merit-order-instructions (participant: its own units; anm, operator: all) — R-DISPATCH-2
 * §19: each unit's curtailment per SP in the version in force or the one asked.
 */
export const handler = httpHandler(async (event) => {
  const { limit, nextToken, version, anmSchemeId, ...query } = parseQuery(
    event,
    InstructionQuerySchema,
  );
  const page = await listInstructions(
    deps,
    callerOf(event),
    {
      ...query,
      ...(version === undefined ? {} : { version }),
      ...(anmSchemeId ? { anmSchemeId } : {}),
    },
    { ...(limit ? { limit } : {}), ...(nextToken ? { nextToken } : {}) },
  );
  return json(200, page);
});
