import { revokeApiKey } from "../../core/access/api-keys";
import * as ports from "../../runtime/ports";
import { actorOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { keyIdParameter } from "../schemas/scheme-inputs";

const deps = ports.compose({ clock: ports.clock, apiKeys: ports.apiKeys });

/** DELETE /api-keys/{keyId} (operator): revokes the key; its next request is 401. Idempotent. */
export const handler = httpHandler(
  idempotent(async (event) => {
    const keyId = pathId(event, "keyId", keyIdParameter, "The key");
    return json(200, await revokeApiKey(deps, keyId, actorOf(event)));
  }),
);
