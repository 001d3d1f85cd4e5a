import * as z from "zod";
import { CLAIM_SECRET_PATTERN } from "../../core/access/api-key";
import { PARTICIPANT_DECISIONS, PARTICIPANT_STATUSES } from "../../core/access/participant";
import { limitParameter, nextTokenParameter, platformId, text } from "./fields";

/**
 * The participant route inputs the handlers parse (query, path and body schemas), apart from the
 * response schemas of `./participant.ts`, which only the OpenAPI document builds: a handler's bundle
 * builds these alone on its cold start (D-299). `./participant.ts` re-exports them.
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
