import * as z from "zod";
import { ROLES } from "../../core/access/roles";
import {
  SchemeConfigSchema,
  SchemeVersionBodySchema as SchemeVersionBody,
} from "../../core/config/scheme-config-schema";

export {
  AnmKeyBodySchema,
  ApiKeyListQuerySchema,
  anmSchemeIdParameter,
  KeyReissueBodySchema,
  KeyRotationBodySchema,
  keyIdParameter,
  SchemeListQuerySchema,
} from "./scheme-inputs";

/**
 * Schemas of the scheme and key routes (docs/api.md "Schemes, keys and the local trial clock"):
 * versioned scheme configurations, scheme-bound ANM keys, the key list, rotation and re-issue.
 */

const instant = (description: string) =>
  z.string().meta({ description: `${description} (ISO 8601 instant, UTC).`, format: "date-time" });
const day = (description: string) =>
  z.string().meta({ description: `${description}, YYYY-MM-DD.`, format: "date" });

/** The body of `PUT /schemes/{anmSchemeId}`, as documented (the handler parses the same schema). */
export const SchemeVersionBodySchema = SchemeVersionBody.meta({
  id: "SchemeVersionRequest",
  examples: [
    {
      name: "Ely Grid ANM",
      effectiveFrom: "2027-07-01",
      config: {
        deratingFactor: 0.8,
        priceCapGbp: 100,
        gateClosure: { daysBefore: 1, localTime: "12:00" },
      },
    },
  ],
});

export const SchemeVersionSchema = z
  .object({
    version: z.number().int().meta({ description: "1, 2, … in the order stored." }),
    effectiveFrom: day("The first delivery day this version applies to"),
    config: SchemeConfigSchema.meta({
      description: "The configuration as given; absent fields take their defaults.",
    }),
    createdAt: instant("When the version was stored"),
  })
  .meta({ id: "SchemeVersion" });

export const SchemeSchema = z
  .object({
    anmSchemeId: z.string().meta({ description: "The ANM scheme's id." }),
    name: z.string().meta({ description: "The scheme's name as operators know it." }),
    versions: z.array(SchemeVersionSchema).meta({
      description:
        "Every version, oldest first. A delivery day runs under the highest version whose effectiveFrom is on or before it.",
    }),
  })
  .meta({ id: "Scheme" });

export const SchemeListSchema = z
  .object({
    items: z.array(SchemeSchema).meta({ description: "Schemes by id." }),
    nextToken: z
      .string()
      .optional()
      .meta({ description: "Pass as nextToken for the next page; absent on the last page." }),
  })
  .meta({ id: "SchemeList" });

export const IssuedKeySchema = z
  .object({
    keyId: z.string().meta({ description: "The key's id, as GET /api-keys lists it." }),
    apiKey: z.string().meta({ description: "Shown once; only its hash is stored." }),
  })
  .meta({ id: "IssuedKey" });

export const ClaimSecretSchema = z
  .object({
    participantId: z.string().meta({ description: "The participant (`par-…`)." }),
    claimSecret: z.string().meta({
      description:
        "Shown once. Claim the new key with POST /registrations/{participantId}/api-key.",
    }),
  })
  .meta({ id: "ClaimSecret" });

export const ApiKeyViewSchema = z
  .object({
    keyId: z.string().meta({ description: "The key's id (`key-…`), never the key." }),
    role: z.enum(ROLES).meta({ description: "operator, anm or participant." }),
    status: z
      .enum(["active", "revoked"])
      .meta({ description: "active, or revoked (every request with it is 401)." }),
    name: z
      .string()
      .optional()
      .meta({ description: "Operator and ANM keys: who it was issued to." }),
    anmSchemeId: z.string().optional().meta({ description: "ANM keys bound to a scheme." }),
    participantId: z.string().optional().meta({ description: "Participant keys." }),
    createdAt: instant("When the key was issued"),
    lastUsedAt: instant("When the key was last accepted (to the minute)").optional(),
    revokedAt: instant("When the key was revoked").optional(),
  })
  .meta({ id: "ApiKeyInfo", description: "An issued key; never the key itself." });

export const ApiKeyListSchema = z
  .object({
    items: z.array(ApiKeyViewSchema).meta({ description: "Keys, oldest first." }),
    nextToken: z
      .string()
      .optional()
      .meta({ description: "Pass as nextToken for the next page; absent on the last page." }),
  })
  .meta({ id: "ApiKeyList" });
