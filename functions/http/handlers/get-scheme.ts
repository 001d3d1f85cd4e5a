import { getScheme } from "../../core/use-cases/schemes";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { anmSchemeIdParameter } from "../schemas/scheme-inputs";
import { schemeView } from "../scheme-views";

const deps = ports.compose({ schemes: ports.schemes });

/** GET /schemes/{anmSchemeId} (operator; anm: its own scheme, any other 404, D-195). */
export const handler = httpHandler(async (event) => {
  const anmSchemeId = pathId(event, "anmSchemeId", anmSchemeIdParameter, `Scheme`);
  return json(200, schemeView(await getScheme(deps, callerOf(event), anmSchemeId)));
});
