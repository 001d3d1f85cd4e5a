import { recordInstant } from "../model/settlement-periods";
import type { Clock, Credentials, IdGenerator, ParticipantStore } from "../ports";
import type { Participant, ParticipantRegistration } from "./participant";
import type { Actor } from "./roles";

export interface RegisterParticipantPorts {
  clock: Clock;
  ids: IdGenerator;
  credentials: Credentials;
  participants: ParticipantStore;
}

/**
 * `POST /registrations` (R-AUTH): a pending participant and its one-time claim secret, shown
 * only in this answer; only the secret's hash is stored (D-20), with the audit record (D-24).
 */
export async function registerParticipant(
  ports: RegisterParticipantPorts,
  registration: ParticipantRegistration,
  actor: Actor,
): Promise<{ participant: Participant; claimSecret: string }> {
  const claimSecret = ports.credentials.newClaimSecret();
  const participant = await ports.participants.register({
    participantId: ports.ids.newId("participant"),
    registration,
    claimSecretHash: await ports.credentials.hashClaimSecret(claimSecret),
    at: recordInstant(ports.clock.nowMs()),
    actor,
  });
  return { participant, claimSecret };
}
