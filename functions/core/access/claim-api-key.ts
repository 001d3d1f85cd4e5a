import { DomainError, NotFoundError } from "../errors";
import { recordInstant } from "../model/settlement-periods";
import type { Clock, Credentials, ParticipantStore } from "../ports";
import { CLAIM_SECRET_LIFETIME_MS, newKeyRecord } from "./api-key";
import type { Actor } from "./roles";

export interface ClaimApiKeyPorts {
  clock: Clock;
  credentials: Credentials;
  participants: ParticipantStore;
}

/**
 * `POST /registrations/{participantId}/api-key` (no key): the participant's API key, once, after
 * approval (R-AUTH, D-20). An unknown participant and a wrong secret are the same 404, so the
 * route tells nothing to someone without the secret; then 409 `ALREADY_CLAIMED` (checked first),
 * 409 `CLAIM_SECRET_EXPIRED` (D-149) and 409 `NOT_APPROVED`. Only the key's hash is stored.
 */
export async function claimApiKey(
  ports: ClaimApiKeyPorts,
  participantId: string,
  claimSecret: string,
  actor: Actor,
): Promise<{ apiKey: string }> {
  const state = await ports.participants.claimState(participantId);
  if (
    state === undefined ||
    !(await ports.credentials.verifyClaimSecret(claimSecret, state.claimSecretHash))
  )
    throw new NotFoundError("The registration");
  if (state.participant.apiKeyIssued)
    throw new DomainError(
      "ALREADY_CLAIMED",
      "The API key was already issued; it is shown only once.",
    );
  const nowMs = ports.clock.nowMs();
  if (nowMs - Date.parse(state.claimSecretIssuedAt) > CLAIM_SECRET_LIFETIME_MS)
    throw new DomainError(
      "CLAIM_SECRET_EXPIRED",
      "The claim secret has expired (30 days after it was issued); ask the operator to issue a new key or register again.",
    );
  if (state.participant.status !== "approved")
    throw new DomainError("NOT_APPROVED", "The operator has not approved this participant.");
  const at = recordInstant(nowMs);
  const apiKey = ports.credentials.newApiKey();
  await ports.participants.claimApiKey({
    participantId,
    key: newKeyRecord(ports.credentials.hashApiKey(apiKey), {
      role: "participant",
      principalId: participantId,
      createdAt: at,
    }),
    at,
    actor,
  });
  return { apiKey };
}
