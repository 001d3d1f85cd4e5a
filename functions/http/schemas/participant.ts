import * as z from "zod";
import { CLAIM_SECRET_PATTERN } from "../../core/access/api-key";
import { PARTICIPANT_DECISIONS, PARTICIPANT_STATUSES } from "../../core/access/participant";
import { limitParameter, nextTokenParameter, platformId, text } from "./fields";

/**
 * The wire schemas of registration and participants (api.md "Registration"): they validate and
 * document the records of `core/access/participant.ts`; a test keeps their types equal.
 */

export const participantId = platformId("par").meta({
  description: "The participant (`par-` and 20 hex digits).",
});

export const OrganisationSchema = z
  .object({
    legalName: text(200).meta({ description: "The registered company name." }),
    companyNumber: z
      .string()
      .meta({ description: "The Companies House number.", examples: ["01234567"] })
      .regex(/^(?:[0-9]{8}|[A-Z]{2}[0-9]{6})$/, {
        message: "must be a Companies House number: 8 digits, or 2 capital letters and 6 digits",
      }),
    registeredAddress: text(500).meta({ description: "The registered office address." }),
    vatNumber: z
      .string()
      .regex(/^(?:GB)?(?:[0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3})$/, {
        message: "must be a UK VAT number, e.g. GB123456789",
      })
      .optional()
      .meta({ description: "The UK VAT number, if registered." }),
  })
  .strict()
  .meta({ id: "Organisation", description: "The legal entity that registers." });

export const ContactSchema = z
  .object({
    name: text(200).meta({ description: "The contact's name." }),
    email: z
      .email({ message: "must be an email address" })
      .max(254, { message: "must be at most 254 characters" })
      .meta({ description: "The contact's e-mail address." }),
    phone: z
      .string()
      .regex(/^\+?[0-9][0-9 ()-]{5,24}$/, {
        message: "must be a phone number, e.g. +44 161 496 0000",
      })
      .optional()
      .meta({ description: "The contact's phone number." }),
  })
  .strict()
  .meta({ id: "Contact", description: "Who the operator talks to." });

export const RegistrationBodySchema = z
  .object({ organisation: OrganisationSchema, contact: ContactSchema })
  .strict()
  .meta({
    id: "RegistrationRequest",
    description: "POST /registrations body.",
    examples: [
      {
        organisation: {
          legalName: "Moorside Wind Ltd",
          companyNumber: "01234567",
          registeredAddress: "1 Grid Street, Manchester M1 1AA",
          vatNumber: "GB123456789",
        },
        contact: {
          name: "Trading desk",
          email: "desk@moorside.example",
          phone: "+44 161 496 0000",
        },
      },
    ],
  });

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

export const ParticipantListQuerySchema = z
  .object({
    status: z
      .enum(PARTICIPANT_STATUSES)
      .optional()
      .meta({ description: "Only participants in this status." }),
    limit: limitParameter.meta({ description: "Items per page, 1–100; default 100." }),
    nextToken: nextTokenParameter.meta({ description: "The nextToken of the previous page." }),
  })
  .strict();

export const ParticipantDecisionBodySchema = z
  .object({
    decision: z.enum(PARTICIPANT_DECISIONS).meta({
      description:
        "approve (pending or suspended → approved), reject (pending or suspended → rejected), suspend (approved → suspended) (D-18).",
    }),
    reason: text(1000).optional().meta({ description: "Why; kept in the audit log." }),
  })
  .strict()
  .meta({
    id: "ParticipantDecision",
    description: "The operator's decision on a participant.",
    examples: [{ decision: "approve", reason: "Company and contact checked" }],
  });

export const ApiKeyClaimBodySchema = z
  .object({
    claimSecret: z
      .string()
      .regex(CLAIM_SECRET_PATTERN, {
        message: "must be the claimSecret returned by POST /registrations",
      })
      .meta({ description: "The claimSecret POST /registrations returned." }),
  })
  .strict()
  .meta({
    id: "ApiKeyClaim",
    examples: [{ claimSecret: "cls_Zm9yIGV4YW1wbGUgb25seSwgbm90IGEgcmVhbCBzZWNyZXQ" }],
  });

export const ApiKeySchema = z
  .object({
    apiKey: z
      .string()
      .meta({ description: "Shown once; send it as x-api-key. Stored only hashed." }),
  })
  .strict()
  .meta({ id: "ApiKey" });
