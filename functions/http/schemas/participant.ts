import * as z from "zod";
import { PARTICIPANT_STATUSES } from "../../core/access/participant";
import { ContactSchema, OrganisationSchema, participantId } from "./participant-inputs";

export {
  ApiKeyClaimBodySchema,
  ContactSchema,
  OrganisationSchema,
  ParticipantDecisionBodySchema,
  ParticipantListQuerySchema,
  participantId,
  RegistrationBodySchema,
} from "./participant-inputs";

/**
 * The wire schemas of registration and participants (api.md "Registration"): they validate and
 * document the records of `core/access/participant.ts`; a test keeps their types equal.
 */

export const RegistrationSchema = z
  .object({
    participantId,
    status: z.literal("pending").meta({ description: "Every registration starts pending." }),
    claimSecret: z.string().meta({
      description:
        "Shown once. Present it to POST /registrations/{participantId}/api-key after approval.",
    }),
  })
  .strict()
  .meta({ id: "Registration", description: "A new, pending participant and its claim secret." });
export type Registration = z.output<typeof RegistrationSchema>;

export const ParticipantSchema = z
  .object({
    participantId,
    status: z.enum(PARTICIPANT_STATUSES).meta({
      description:
        "pending, approved (may trade), rejected (final) or suspended (its key stops at once) (D-18).",
    }),
    organisation: OrganisationSchema,
    contact: ContactSchema,
    apiKeyIssued: z.boolean().meta({ description: "True once the API key was claimed." }),
    statusReason: z.string().optional().meta({ description: "The reason of the last decision." }),
    createdAt: z
      .string()
      .meta({ description: "When it registered (ISO 8601, UTC).", format: "date-time" }),
    updatedAt: z
      .string()
      .meta({ description: "When it last changed (ISO 8601, UTC).", format: "date-time" }),
  })
  .strict()
  .meta({ id: "Participant", description: "A participant; never any secret or hash." });

export const ParticipantListSchema = z
  .object({
    items: z.array(ParticipantSchema).meta({ description: "This page's participants." }),
    nextToken: z
      .string()
      .optional()
      .meta({ description: "For the next page; absent on the last." }),
  })
  .strict()
  .meta({ id: "ParticipantList" });

export const ApiKeySchema = z
  .object({
    apiKey: z
      .string()
      .meta({ description: "Shown once; send it as x-api-key. Stored only hashed." }),
  })
  .strict()
  .meta({ id: "ApiKey" });
