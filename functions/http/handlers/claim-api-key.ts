import { claimApiKey } from "../../core/access/claim-api-key";
import * as ports from "../../runtime/ports";
import { actorOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { ApiKeyClaimBodySchema, participantId } from "../schemas/participant-inputs";

const deps = ports.compose({
  clock: ports.clock,
  credentials: ports.credentials,
  participants: ports.participants,
});

/**
 * POST /registrations/{participantId}/api-key (no key) — the participant's API key, once, after
 * approval (R-AUTH, D-20): unknown participant or wrong secret 404, then 409 ALREADY_CLAIMED or
 * NOT_APPROVED. Only the key's SHA-256 is stored.
 */
export const handler = httpHandler(
  idempotent(async (event) => {
    const { claimSecret } = parseBody(event, ApiKeyClaimBodySchema);
    const id = pathId(event, "participantId", participantId, "The registration");
    return json(201, await claimApiKey(deps, id, claimSecret, actorOf(event)));
  }),
);
