import { reissueParticipantKey } from "../../core/access/api-keys";
import * as ports from "../../runtime/ports";
import { actorOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseOptionalBody } from "../middleware/parse-body";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { participantId } from "../schemas/participant-inputs";
import { KeyReissueBodySchema } from "../schemas/scheme-inputs";

const deps = ports.compose({
  clock: ports.clock,
  credentials: ports.credentials,
  participants: ports.participants,
});

/**
 * POST /participants/{participantId}/key-reissues (operator): a new claim secret for a
 * participant that lost its key, shown once; its current key stops at once (D-198).
 */
export const handler = httpHandler(
  idempotent(async (event) => {
    const { reason } = parseOptionalBody(event, KeyReissueBodySchema);
    const id = pathId(event, "participantId", participantId, "The participant");
    const actor = actorOf(event);
    return json(201, await reissueParticipantKey(deps, id, actor, reason));
  }),
);
