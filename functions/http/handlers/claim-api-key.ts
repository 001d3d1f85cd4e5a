import { DomainError } from "../../core/errors";
import { deps } from "../../runtime/deps";
import { actorOf, notFound, nowIso, pathId } from "../access/request";
import { generateApiKey, hashApiKey } from "../auth/api-keys";
import { verifyClaimSecret } from "../auth/claim-secrets";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { parseBody } from "../middleware/parse-body";
import { json } from "../responses";
import { ApiKeyClaimBodySchema, participantId } from "../schemas/participant";

/**
 * POST /registrations/{participantId}/api-key (no key) — the participant's API key, once, after
 * approval (R-AUTH). Unknown participant or wrong secret: 404, the same answer, so that the
 * route tells nothing to someone without the secret. Then: already claimed 409 ALREADY_CLAIMED,
 * not approved 409 NOT_APPROVED. Only the key's SHA-256 is stored.
 */
export const handler = httpHandler(
  idempotent(async (event) => {
    const { claimSecret } = parseBody(event, ApiKeyClaimBodySchema);
    const id = pathId(event, "participantId", participantId, "The registration");
    const state = await deps.participants.claimState(id);
    if (state === undefined || !(await verifyClaimSecret(claimSecret, state.claimSecretHash))) {
      throw notFound("The registration");
    }
    if (state.participant.apiKeyIssued) {
      throw new DomainError(
        "ALREADY_CLAIMED",
        "The API key was already issued; it is shown only once.",
      );
    }
    if (state.participant.status !== "approved") {
      throw new DomainError("NOT_APPROVED", "The operator has not approved this participant.");
    }
    const at = nowIso();
    const apiKey = generateApiKey();
    await deps.participants.claimApiKey({
      participantId: id,
      key: {
        keyHash: hashApiKey(apiKey),
        role: "participant",
        principalId: id,
        status: "active",
        createdAt: at,
      },
      at,
      actor: actorOf(event),
    });
    return json(201, { apiKey });
  }),
);
