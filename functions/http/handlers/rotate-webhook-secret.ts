import { rotateSecret } from "../../core/webhooks/endpoints";
import { deps } from "../../runtime/deps";
import { webhookCallerOf } from "../auth/webhook-owner";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseOptionalEmptyBody } from "../middleware/parse-body";
import { json } from "../responses";

/** POST /webhook-endpoint/secret-rotations (participant, anm) — R-NOTIFY-2: a new secret, once. */
export const handler = httpHandler(
  idempotent(async (event) => {
    parseOptionalEmptyBody(event);
    const { owner, actor } = webhookCallerOf(event);
    return json(201, await rotateSecret(deps, owner, actor));
  }),
);
