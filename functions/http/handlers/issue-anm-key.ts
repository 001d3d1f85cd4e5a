import { issueAnmKey } from "../../core/access/api-keys";
import * as ports from "../../runtime/ports";
import { actorOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseOptionalBody } from "../middleware/parse-body";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { AnmKeyBodySchema, anmSchemeIdParameter } from "../schemas/scheme-inputs";

const deps = ports.compose({
  clock: ports.clock,
  credentials: ports.credentials,
  apiKeys: ports.apiKeys,
  schemes: ports.schemes,
});

/**
 * POST /schemes/{anmSchemeId}/anm-keys (operator): an ANM key bound to the scheme, shown once
 * (D-195); 404 for a scheme that is not registered.
 */
export const handler = httpHandler(
  idempotent(async (event) => {
    const { name } = parseOptionalBody(event, AnmKeyBodySchema);
    const anmSchemeId = pathId(event, "anmSchemeId", anmSchemeIdParameter, "The scheme");
    return json(201, await issueAnmKey(deps, anmSchemeId, name, actorOf(event)));
  }),
);
