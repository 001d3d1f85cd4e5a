import * as z from "zod";
import type { ZodOpenApiResponseObject } from "zod-openapi";
import {
  AnmKeyBodySchema,
  ApiKeyListQuerySchema,
  ApiKeyListSchema,
  ApiKeyViewSchema,
  ClaimSecretSchema,
  IssuedKeySchema,
  KeyReissueBodySchema,
  KeyRotationBodySchema,
  SchemeListQuerySchema,
  SchemeListSchema,
  SchemeSchema,
  SchemeVersionBodySchema,
} from "../schemas/scheme";
import type { RouteContract } from "./operations";

/** The documented contract of the scheme and key routes. */
type Contract = RouteContract;

export type SchemeRouteId =
  | "PutScheme"
  | "ListSchemes"
  | "GetScheme"
  | "IssueAnmKey"
  | "ListApiKeys"
  | "RevokeApiKey"
  | "RotateOwnApiKey"
  | "ReissueParticipantKey";

function ok(description: string, schema: z.ZodType): ZodOpenApiResponseObject {
  return { description, content: { "application/json": { schema } } };
}

function body(schema: z.ZodType, required = true) {
  return { required, content: { "application/json": { schema } } };
}

const idempotencyKey = z.object({
  "idempotency-key": z.string().max(255).optional().meta({
    description:
      "Optional. The same key (per caller) with the same body replays the first response; with another body 422 IDEMPOTENCY_KEY_REUSED.",
  }),
});

const schemePath = z.object({
  anmSchemeId: z.string().meta({ description: "The ANM scheme's id." }),
});

export const SCHEME_OPERATIONS: Record<SchemeRouteId, Contract> = {
  PutScheme: {
    summary: "Store the next configuration version of a scheme",
    description:
      "A version applies to delivery days on or after its effectiveFrom; a day runs under the highest version whose effectiveFrom is on or before it, and its cycle records that version (GET /cycles/{id} schemeVersion). A body equal to the latest version stores nothing (200). A scheme never registered runs on the defaults.",
    tags: ["Schemes"],
    requestParams: { path: schemePath, header: idempotencyKey },
    requestBody: body(SchemeVersionBodySchema),
    responses: {
      "201": ok("The scheme's first version was stored.", SchemeSchema),
      "200": ok("A further version was stored (or the body equals the latest one).", SchemeSchema),
    },
    errors: ["SCHEME_VERSION_IN_USE", "SCHEME_CONFIG_INVALID"],
  },
  ListSchemes: {
    summary: "Registered schemes (anm: the schemes its key may act for)",
    tags: ["Schemes"],
    requestParams: { query: SchemeListQuerySchema },
    responses: {
      "200": ok("Schemes by id, each with every version.", SchemeListSchema),
    },
  },
  GetScheme: {
    summary: "One scheme and its versions",
    description:
      "An ANM key gets NOT_FOUND for any scheme but its own, exactly as for an unknown scheme.",
    tags: ["Schemes"],
    requestParams: { path: schemePath },
    responses: {
      "200": ok("The scheme.", SchemeSchema),
    },
  },
  IssueAnmKey: {
    summary: "Issue an ANM key bound to a scheme",
    description:
      "With the key, every ANM route for another scheme answers 404 exactly as for an unknown scheme. The key is shown once; only its hash is stored.",
    tags: ["Keys"],
    requestParams: { path: schemePath, header: idempotencyKey },
    requestBody: body(AnmKeyBodySchema, false),
    responses: {
      "201": ok("The key (shown once) and its id.", IssuedKeySchema),
    },
  },
  ListApiKeys: {
    summary: "Every issued key (never the key)",
    tags: ["Keys"],
    requestParams: { query: ApiKeyListQuerySchema },
    responses: {
      "200": ok("Keys, oldest first.", ApiKeyListSchema),
    },
  },
  RevokeApiKey: {
    summary: "Revoke a key at once",
    description: "The key's next request is 401. Revoking a revoked key returns it unchanged.",
    tags: ["Keys"],
    requestParams: {
      path: z.object({ keyId: z.string().meta({ description: "The key's id (`key-…`)." }) }),
      header: idempotencyKey,
    },
    responses: {
      "200": ok("The key, revoked.", ApiKeyViewSchema),
    },
  },
  RotateOwnApiKey: {
    summary: "Rotate the caller's own key",
    description:
      "A new key, shown once; the key that made the call stops working at once (a lost answer means asking the operator for a re-issue).",
    tags: ["Keys"],
    requestParams: { header: idempotencyKey },
    requestBody: body(KeyRotationBodySchema, false),
    responses: {
      "201": ok("The new key (shown once) and its id.", IssuedKeySchema),
    },
    errors: ["KEY_NOT_CURRENT"],
  },
  ReissueParticipantKey: {
    summary: "Re-issue a participant's key through a fresh claim secret",
    description:
      "For a participant that lost its key: its current key stops working at once, and the claim secret (shown once) claims a new key through POST /registrations/{participantId}/api-key.",
    tags: ["Keys"],
    requestParams: {
      path: z.object({
        participantId: z.string().meta({ description: "The participant (`par-…`)." }),
      }),
      header: idempotencyKey,
    },
    requestBody: body(KeyReissueBodySchema, false),
    responses: {
      "201": ok("The claim secret, shown once.", ClaimSecretSchema),
    },
    errors: ["DECISION_NOT_ALLOWED"],
  },
};
