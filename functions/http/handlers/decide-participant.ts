import { deps } from "../../runtime/deps";
import { nextParticipantStatus } from "../access/lifecycle";
import { actorOf, notFound, nowIso, pathId } from "../access/request";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { json } from "../responses";
import { ParticipantDecisionBodySchema, participantId } from "../schemas/participant";

/**
 * POST /participants/{participantId}/decision (operator) — approve, reject or suspend
 * (transitions: D-18). A suspended participant's key stops working at once: the authorizer reads
 * the participant's status on every request.
 */
export const handler = httpHandler(
  idempotent(async (event) => {
    const { decision, reason } = parseBody(event, ParticipantDecisionBodySchema);
    const id = pathId(event, "participantId", participantId, "The participant");
    const current = await deps.participants.get(id);
    if (current === undefined) throw notFound("The participant");
    const to = nextParticipantStatus(current.status, decision);
    const action =
      current.status === "suspended" && to === "approved"
        ? "participant.reinstated"
        : `participant.${to}`;
    const updated = await deps.participants.changeStatus({
      participantId: id,
      from: current.status,
      to,
      action,
      ...(reason === undefined ? {} : { reason }),
      at: nowIso(),
      actor: actorOf(event),
    });
    return json(200, updated);
  }),
);
