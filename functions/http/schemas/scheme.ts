import { z } from "zod";
import { KEY_ID_PATTERN } from "../../core/access/api-key";
import { ROLES } from "../../core/access/roles";
import { SchemeConfigSchema, SchemeVersionBodySchema } from "../../core/config/scheme-config";
import { clientId } from "../../core/model/fields";
import { limitParameter, nextTokenParameter, text } from "./fields";

/**
 * Schemas of the scheme and key routes (api-post-trade "Schemes, keys and the local trial clock"):
 * versioned scheme configurations, scheme-bound ANM keys, the key list, rotation and re-issue.
 */

const paging = {
  limit: limitParameter.meta({ description: "Items per page, 1–100; default 100." }),
  nextToken: nextTokenParameter.meta({
    description: "The nextToken of the previous page of the same list.",
  }),
};

/** A scheme id in a path: the ANM's own id (clientId); anything else is 404. */
export const anmSchemeIdParameter = clientId;

/** A key id in a path: `key-` and 20 hex digits; anything else is 404. */
export const keyIdParameter = z.string().regex(KEY_ID_PATTERN, { message: "must be a key- id" });

export { SchemeVersionBodySchema };

export const SchemeVersionSchema = z
  .object({
    version: z.number().int().meta({ description: "1, 2, … in the order stored." }),
    effectiveFrom: z.string().meta({
      description: "The first delivery day (YYYY-MM-DD) this version applies to.",
    }),
    config: SchemeConfigSchema.meta({
      description: "The configuration as given; absent fields take their defaults.",
    }),
    createdAt: z.string().meta({ description: "ISO 8601 instant (UTC)." }),
  })
  .meta({ id: "SchemeVersion" });

export const SchemeSchema = z
  .object({
    anmSchemeId: z.string(),
    name: z.string(),
    versions: z.array(SchemeVersionSchema).meta({
      description:
        "Every version, oldest first. A delivery day runs under the highest version whose effectiveFrom is on or before it.",
    }),
  })
  .meta({ id: "Scheme" });

export const SchemeListSchema = z
  .object({ items: z.array(SchemeSchema), nextToken: z.string().optional() })
  .meta({ id: "SchemeList" });

export const SchemeListQuerySchema = z.strictObject({ ...paging });

/** `POST /schemes/{anmSchemeId}/anm-keys`: optionally who the key is for. */
export const AnmKeyBodySchema = z
  .strictObject({
    name: text(200)
      .optional()
      .meta({ description: "The system the key is issued to.", example: "Ely ANM primary" }),
  })
  .meta({ id: "AnmKeyRequest" });

/** `POST /participants/{participantId}/key-reissues`: optionally why. */
export const KeyReissueBodySchema = z
  .strictObject({
    reason: text(1000)
      .optional()
      .meta({ description: "Why the key is re-issued (kept in the audit log)." }),
  })
  .meta({ id: "KeyReissueRequest" });

/** `POST /me/api-key-rotations`: no fields (an empty body or `{}`). */
export const KeyRotationBodySchema = z.strictObject({}).meta({ id: "KeyRotationRequest" });

export const IssuedKeySchema = z
  .object({
    keyId: z.string().meta({ description: "The key's id, as GET /api-keys lists it." }),
    apiKey: z.string().meta({ description: "Shown once; only its hash is stored." }),
  })
  .meta({ id: "IssuedKey" });

export const ClaimSecretSchema = z
  .object({
    participantId: z.string(),
    claimSecret: z.string().meta({
      description:
        "Shown once. Claim the new key with POST /registrations/{participantId}/api-key.",
    }),
  })
  .meta({ id: "ClaimSecret" });

export const ApiKeyViewSchema = z
  .object({
    keyId: z.string(),
    role: z.enum(ROLES),
    status: z.enum(["active", "revoked"]),
    name: z
      .string()
      .optional()
      .meta({ description: "Operator and ANM keys: who it was issued to." }),
    anmSchemeId: z.string().optional().meta({ description: "ANM keys bound to a scheme." }),
    participantId: z.string().optional().meta({ description: "Participant keys." }),
    createdAt: z.string(),
    lastUsedAt: z
      .string()
      .optional()
      .meta({ description: "When the key was last accepted (to the minute)." }),
    revokedAt: z.string().optional(),
  })
  .meta({ id: "ApiKeyInfo", description: "An issued key; never the key itself." });

export const ApiKeyListSchema = z
  .object({ items: z.array(ApiKeyViewSchema), nextToken: z.string().optional() })
  .meta({ id: "ApiKeyList" });

export const ApiKeyListQuerySchema = z.strictObject({ ...paging });
