import * as z from "zod";
import { KEY_ID_PATTERN } from "../../core/access/api-key";
import { clientId } from "../../core/model/fields";
import { limitParameter, nextTokenParameter, text } from "./fields";

/**
 * The scheme route inputs the handlers parse (query, path and body schemas), apart from the
 * response schemas of `./scheme.ts`, which only the OpenAPI document builds: a handler's bundle
 * builds these alone on its cold start (D-299). `./scheme.ts` re-exports them.
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

export const SchemeListQuerySchema = z.strictObject({ ...paging });

/** `POST /schemes/{anmSchemeId}/anm-keys`: optionally who the key is for. */
export const AnmKeyBodySchema = z
  .strictObject({
    name: text(200)
      .optional()
      .meta({ description: "The system the key is issued to.", example: "Ely ANM primary" }),
  })
  .meta({ id: "AnmKeyRequest", examples: [{ name: "Ely ANM primary" }] });

/** `POST /participants/{participantId}/key-reissues`: optionally why. */
export const KeyReissueBodySchema = z
  .strictObject({
    reason: text(1000)
      .optional()
      .meta({ description: "Why the key is re-issued (kept in the audit log)." }),
  })
  .meta({ id: "KeyReissueRequest", examples: [{ reason: "The participant lost its key" }] });

/** `POST /me/api-key-rotations`: no fields (an empty body or `{}`). */
export const KeyRotationBodySchema = z
  .strictObject({})
  .meta({ id: "KeyRotationRequest", examples: [{}] });

export const ApiKeyListQuerySchema = z.strictObject({ ...paging });
