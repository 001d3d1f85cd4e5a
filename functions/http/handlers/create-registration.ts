import { deps } from "../../runtime/deps";
import { actorOf, newId, nowIso } from "../access/request";
import { generateClaimSecret, hashClaimSecret } from "../auth/claim-secrets";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { json } from "../responses";
import { type Registration, RegistrationBodySchema } from "../schemas/participant";

/**
 * POST /registrations (no key) — a pending participant and its one-time claim secret (R-AUTH).
 * Only the secret's scrypt hash is stored.
 */
export const handler = httpHandler(
  idempotent(async (event) => {
    const body = parseBody(event, RegistrationBodySchema);
    const claimSecret = generateClaimSecret();
    const participant = await deps.participants.register({
      participantId: newId("par"),
      body,
      claimSecretHash: await hashClaimSecret(claimSecret),
      at: nowIso(),
      actor: actorOf(event),
    });
    return json(201, {
      participantId: participant.participantId,
      status: "pending",
      claimSecret,
    } satisfies Registration);
  }),
);
