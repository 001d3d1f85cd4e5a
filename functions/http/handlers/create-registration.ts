import { registerParticipant } from "../../core/access/register-participant";
import * as ports from "../../runtime/ports";
import { actorOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { json } from "../responses";
import type { Registration } from "../schemas/participant";
import { RegistrationBodySchema } from "../schemas/participant-inputs";

const deps = ports.compose({
  clock: ports.clock,
  ids: ports.ids,
  credentials: ports.credentials,
  participants: ports.participants,
  rateLimits: ports.rateLimits,
  limits: ports.limits,
});

/**
 * POST /registrations (no key) — a pending participant and its one-time claim secret (R-AUTH).
 * Only the secret's scrypt hash is stored.
 */
export const handler = httpHandler(
  idempotent(async (event) => {
    const registration = parseBody(event, RegistrationBodySchema);
    const { participant, claimSecret } = await registerParticipant(
      deps,
      registration,
      actorOf(event),
      event.requestContext?.identity?.sourceIp ?? "unknown",
    );
    return json(201, {
      participantId: participant.participantId,
      status: "pending",
      claimSecret,
    } satisfies Registration);
  }),
);
