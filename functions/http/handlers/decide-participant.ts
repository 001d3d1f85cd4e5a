import { decideParticipant } from "../../core/access/decide-participant";
import * as ports from "../../runtime/ports";
import { actorOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { ParticipantDecisionBodySchema, participantId } from "../schemas/participant-inputs";

const deps = ports.compose({
  clock: ports.clock,
  participants: ports.participants,
  markets: ports.markets,
  orders: ports.orders,
});

/**
 * POST /participants/{participantId}/decision (operator) — approve, reject or suspend (D-18). A
 * suspended participant's key stops working at once: the authorizer reads the participant's
 * status on every request.
 */
export const handler = httpHandler(
  idempotent(async (event) => {
    const decision = parseBody(event, ParticipantDecisionBodySchema);
    const id = pathId(event, "participantId", participantId, "The participant");
    return json(200, await decideParticipant(deps, id, decision, actorOf(event)));
  }),
);
