import * as z from "zod";
import { CLAIM_SECRET_PATTERN } from "../../core/access/api-key";
import { PARTICIPANT_DECISIONS, PARTICIPANT_STATUSES } from "../../core/access/participant";
import { limitParameter, nextTokenParameter, platformId, text } from "./fields";

/**
 * The wire schemas of registration and participants (api.md "Registration"): they validate and
 * document the records of `core/access/participant.ts`; a test keeps their types equal.
 */

export const participantId = platformId("par");

export const OrganisationSchema = z
  .object({
    legalName: text(200),
    companyNumber: z.string().regex(/^(?:[0-9]{8}|[A-Z]{2}[0-9]{6})$/, {
      message: "must be a Companies House number: 8 digits, or 2 capital letters and 6 digits",
    }),
    registeredAddress: text(500),
    vatNumber: z
      .string()
      .regex(/^(?:GB)?(?:[0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3})$/, {
        message: "must be a UK VAT number, e.g. GB123456789",
      })
      .optional(),
  })
  .strict()
  .meta({ id: "Organisation", description: "The legal entity that registers." });

export const ContactSchema = z
  .object({
    name: text(200),
    email: z.email({ message: "must be an email address" }).max(254, {
      message: "must be at most 254 characters",
    }),
    phone: z
      .string()
      .regex(/^\+?[0-9][0-9 ()-]{5,24}$/, {
        message: "must be a phone number, e.g. +44 161 496 0000",
      })
      .optional(),
  })
  .strict()
  .meta({ id: "Contact", description: "Who the operator talks to." });

export const RegistrationBodySchema = z
  .object({ organisation: OrganisationSchema, contact: ContactSchema })
  .strict()
  .meta({ id: "RegistrationRequest", description: "POST /registrations body." });

export const RegistrationSchema = z
  .object({
    participantId,
    status: z.literal("pending"),
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
    status: z.enum(PARTICIPANT_STATUSES),
    organisation: OrganisationSchema,
    contact: ContactSchema,
    apiKeyIssued: z.boolean().meta({ description: "True once the API key was claimed." }),
    statusReason: z.string().optional().meta({ description: "The reason of the last decision." }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict()
  .meta({ id: "Participant", description: "A participant; never any secret or hash." });

export const ParticipantListSchema = z
  .object({ items: z.array(ParticipantSchema), nextToken: z.string().optional() })
  .strict()
  .meta({ id: "ParticipantList" });

export const ParticipantListQuerySchema = z
  .object({
    status: z.enum(PARTICIPANT_STATUSES).optional(),
    limit: limitParameter,
    nextToken: nextTokenParameter,
  })
  .strict();

export const ParticipantDecisionBodySchema = z
  .object({
    decision: z.enum(PARTICIPANT_DECISIONS),
    reason: text(1000).optional(),
  })
  .strict()
  .meta({ id: "ParticipantDecision", description: "The operator's decision on a participant." });

export const ApiKeyClaimBodySchema = z
  .object({
    claimSecret: z.string().regex(CLAIM_SECRET_PATTERN, {
      message: "must be the claimSecret returned by POST /registrations",
    }),
  })
  .strict()
  .meta({ id: "ApiKeyClaim" });

export const ApiKeySchema = z
  .object({
    apiKey: z
      .string()
      .meta({ description: "Shown once; send it as x-api-key. Stored only hashed." }),
  })
  .strict()
  .meta({ id: "ApiKey" });
