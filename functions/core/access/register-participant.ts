import { DomainError } from "../errors";
import { recordInstant } from "../model/settlement-periods";
import type { Clock, Credentials, IdGenerator, ParticipantStore, RateLimits } from "../ports";
import type { Participant, ParticipantRegistration } from "./participant";
import type { Actor } from "./roles";

export interface RegisterParticipantPorts {
  clock: Clock;
  ids: IdGenerator;
  credentials: Credentials;
  participants: ParticipantStore;
  rateLimits: RateLimits;
  /** D-150: registrations one client address may make per hour (each costs a scrypt hash). */
  limits: { readonly registrationsPerHour: number };
}

const HOUR_MS = 3_600_000;

/**
 * `POST /registrations` (R-AUTH): a pending participant and its one-time claim secret, shown
 * only in this answer; only the secret's hash is stored (D-20), with the audit record (D-24).
 * One client address may register `limits.registrationsPerHour` times an hour (D-150), counted
 * before the secret's scrypt hash is made.
 */
export async function registerParticipant(
  ports: RegisterParticipantPorts,
  registration: ParticipantRegistration,
  actor: Actor,
  clientAddress = "unknown",
): Promise<{ participant: Participant; claimSecret: string }> {
  const nowMs = ports.clock.nowMs();
  const window = nowMs - (nowMs % HOUR_MS);
  const limit = ports.limits.registrationsPerHour;
  if (!(await ports.rateLimits.take(`registrations#${clientAddress}`, window, HOUR_MS, limit)))
    throw new DomainError(
      "TOO_MANY_REGISTRATIONS",
      `At most ${limit} registrations an hour are taken from one address; try again after ${new Date(window + HOUR_MS).toISOString()}.`,
    );
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
