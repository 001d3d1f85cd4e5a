import { NotFoundError } from "../errors";
import { recordInstant } from "../model/settlement-periods";
import type { Clock, ParticipantStore } from "../ports";
import {
  nextParticipantStatus,
  type Participant,
  type ParticipantDecision,
  participantAction,
} from "./participant";
import type { Actor } from "./roles";

export interface DecideParticipantPorts {
  clock: Clock;
  participants: ParticipantStore;
}

/**
 * `POST /participants/{participantId}/decision` (operator): approve, reject or suspend (D-18).
 * The change is conditional on the status read, so two racing decisions cannot both apply. A
 * suspended participant's key stops at once: the authorizer reads the status on every request.
 */
export async function decideParticipant(
  ports: DecideParticipantPorts,
  participantId: string,
  decision: { decision: ParticipantDecision; reason?: string | undefined },
  actor: Actor,
): Promise<Participant> {
  const current = await ports.participants.get(participantId);
  if (current === undefined) throw new NotFoundError("The participant");
  const to = nextParticipantStatus(current.status, decision.decision);
  return ports.participants.changeStatus(participantId, {
    from: current.status,
    to,
    action: participantAction(current.status, to),
    ...(decision.reason === undefined ? {} : { reason: decision.reason }),
    at: recordInstant(ports.clock.nowMs()),
    actor,
  });
}
