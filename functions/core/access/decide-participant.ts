import { NotFoundError } from "../errors";
import { recordInstant } from "../model/settlement-periods";
import type { Clock, ParticipantStore } from "../ports";
import {
  type BrakePorts,
  brakeCancellation,
  cancelTheRest,
  openOrdersStopped,
} from "./order-brakes";
import {
  nextParticipantStatus,
  type Participant,
  type ParticipantDecision,
  participantAction,
} from "./participant";
import type { Actor } from "./roles";

export interface DecideParticipantPorts extends BrakePorts {
  clock: Clock;
  participants: ParticipantStore;
}

/**
 * `POST /participants/{participantId}/decision` (operator): approve, reject or suspend (D-18).
 * The change is conditional on the status read, so two racing decisions cannot both apply. A
 * suspended participant's key stops at once: the authorizer reads the status on every request.
 * Suspending or rejecting also stops its trading (D-136): its open orders in live cycles are
 * cancelled, with the decision when they fit in its transaction and the rest right after.
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
  const nowMs = ports.clock.nowMs();
  const at = recordInstant(nowMs);
  const stops = current.status === "approved" && to !== "approved";
  const scope = { kind: "participant" } as const;
  const cancellation = stops
    ? brakeCancellation(
        await openOrdersStopped(ports, participantId, scope),
        nowMs,
        at,
        actor,
        `participant ${participantId} ${to}`,
      )
    : undefined;
  const { participant, cancelled } = await ports.participants.changeStatus(
    participantId,
    {
      from: current.status,
      to,
      action: participantAction(current.status, to),
      ...(decision.reason === undefined ? {} : { reason: decision.reason }),
      at,
      actor,
    },
    cancellation,
  );
  if (cancellation) await cancelTheRest(ports, participantId, scope, cancellation, cancelled);
  return participant;
}
