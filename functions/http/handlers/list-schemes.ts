import { listSchemes } from "../../core/use-cases/schemes";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { SchemeListQuerySchema } from "../schemas/scheme-inputs";
import { schemeView } from "../scheme-views";

const deps = ports.compose({ schemes: ports.schemes });

/** GET /schemes (operator: every registered scheme; anm: the schemes its key may act for). */
export const handler = httpHandler(async (event) => {
  const { limit, nextToken } = parseQuery(event, SchemeListQuerySchema);
  const page = await listSchemes(deps, callerOf(event), { limit, nextToken });
  return json(200, { ...page, items: page.items.map(schemeView) });
});
