import { rotateOwnKey } from "../../core/access/api-keys";
import * as ports from "../../runtime/ports";
import { actorOf, callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseOptionalBody } from "../middleware/parse-body";
import { json } from "../responses";
import { KeyRotationBodySchema } from "../schemas/scheme-inputs";

const deps = ports.compose({
  clock: ports.clock,
  credentials: ports.credentials,
  participants: ports.participants,
  apiKeys: ports.apiKeys,
});

/**
 * POST /me/api-key-rotations (participant): a new key, shown once; the key that made the call
 * stops working at once (D-198).
 */
export const handler = httpHandler(
  idempotent(async (event) => {
    parseOptionalBody(event, KeyRotationBodySchema);
    return json(201, await rotateOwnKey(deps, callerOf(event), actorOf(event)));
  }),
);
