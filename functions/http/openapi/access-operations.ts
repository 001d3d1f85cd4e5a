import * as z from "zod";
import type { ZodOpenApiOperationObject, ZodOpenApiResponseObject } from "zod-openapi";
import { PROBLEM_CONTENT_TYPE } from "../problem";
import {
  AssetBodySchema,
  AssetDecisionBodySchema,
  AssetListQuerySchema,
  AssetListSchema,
  AssetSchema,
} from "../schemas/asset";
import { AuditListQuerySchema, AuditListSchema } from "../schemas/audit";
import {
  ApiKeyClaimBodySchema,
  ApiKeySchema,
  ParticipantDecisionBodySchema,
  ParticipantListQuerySchema,
  ParticipantListSchema,
  ParticipantSchema,
  RegistrationBodySchema,
  RegistrationSchema,
} from "../schemas/participant";
import { ProblemSchema } from "../schemas/problem";

/** The documented contract of the registration, participant, asset and audit routes. */
type Contract = Omit<ZodOpenApiOperationObject, "operationId" | "security">;

export type AccessRouteId =
  | "CreateRegistration"
  | "ListParticipants"
  | "GetParticipant"
  | "DecideParticipant"
  | "ClaimApiKey"
  | "GetMe"
  | "CreateAsset"
  | "ListAssets"
  | "GetAsset"
  | "DecideAsset"
  | "ListAuditRecords";

function ok(description: string, schema: z.ZodType): ZodOpenApiResponseObject {
  return { description, content: { "application/json": { schema } } };
}

function problem(description: string): ZodOpenApiResponseObject {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } };
}

function body(schema: z.ZodType) {
  return { required: true, content: { "application/json": { schema } } };
}

const idempotencyKey = z.object({
  "idempotency-key": z.string().max(255).optional().meta({
    description:
      "Optional. The same key (per caller) with the same body replays the first response; with another body 422 IDEMPOTENCY_KEY_REUSED.",
  }),
});

/** What every write route may answer besides its own codes. */
const WRITE_ERRORS = {
  "400": problem(
    "MALFORMED_JSON, or VALIDATION_FAILED with one errors[] item per field (unknown fields too).",
  ),
  "409": problem(
    "A conflict with the current state; see the route's codes. IDEMPOTENCY_IN_PROGRESS.",
  ),
  "413": problem("The body is over 1 MiB (PAYLOAD_TOO_LARGE)."),
  "415": problem("The body is not JSON (UNSUPPORTED_MEDIA_TYPE)."),
  "422": problem("IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used with another request."),
};

const participantPath = z.object({ participantId: z.string() });
const assetPath = z.object({ assetId: z.string() });

export const ACCESS_OPERATIONS: Record<AccessRouteId, Contract> = {
  CreateRegistration: {
    summary: "Register as a participant",
    description:
      "Creates a pending participant and returns its claim secret once. After the operator approves, claim the API key with it.",
    tags: ["Registration"],
    requestParams: { header: idempotencyKey },
    requestBody: body(RegistrationBodySchema),
    responses: {
      "201": ok("The pending participant and its claim secret.", RegistrationSchema),
      ...WRITE_ERRORS,
    },
  },
  ListParticipants: {
    summary: "List participants, by status",
    tags: ["Registration"],
    requestParams: { query: ParticipantListQuerySchema },
    responses: {
      "200": ok("Participants, oldest registration first.", ParticipantListSchema),
      "400": problem("VALIDATION_FAILED: a query parameter."),
    },
  },
  GetParticipant: {
    summary: "One participant",
    tags: ["Registration"],
    requestParams: { path: participantPath },
    responses: { "200": ok("The participant.", ParticipantSchema), "404": problem("NOT_FOUND.") },
  },
  DecideParticipant: {
    summary: "Approve, reject or suspend a participant",
    description:
      "approve: pending or suspended → approved; reject: pending or suspended → rejected; suspend: approved → suspended (its key stops working at once). Anything else: 409 DECISION_NOT_ALLOWED.",
    tags: ["Registration"],
    requestParams: { path: participantPath, header: idempotencyKey },
    requestBody: body(ParticipantDecisionBodySchema),
    responses: {
      "200": ok("The participant after the decision.", ParticipantSchema),
      "404": problem("NOT_FOUND."),
      ...WRITE_ERRORS,
    },
  },
  ClaimApiKey: {
    summary: "Claim the participant's API key (once, after approval)",
    tags: ["Registration"],
    requestParams: { path: participantPath, header: idempotencyKey },
    requestBody: body(ApiKeyClaimBodySchema),
    responses: {
      "201": ok("The API key, shown once; only its hash is stored.", ApiKeySchema),
      "404": problem("Unknown participant or wrong claim secret (NOT_FOUND)."),
      ...WRITE_ERRORS,
      "409": problem("NOT_APPROVED before approval; ALREADY_CLAIMED the second time."),
    },
  },
  GetMe: {
    summary: "The caller's own participant record",
    tags: ["Registration"],
    responses: { "200": ok("The caller's participant record.", ParticipantSchema) },
  },
  CreateAsset: {
    summary: "Register an asset",
    tags: ["Assets"],
    requestParams: { header: idempotencyKey },
    requestBody: body(AssetBodySchema),
    responses: {
      "201": ok("The pending asset.", AssetSchema),
      ...WRITE_ERRORS,
      "409": problem(
        "ENTRY_ALREADY_CLAIMED: a MOL entry is held by another asset that is not rejected.",
      ),
    },
  },
  ListAssets: {
    summary: "List assets (participant: own; operator: all)",
    tags: ["Assets"],
    requestParams: { query: AssetListQuerySchema },
    responses: {
      "200": ok("Assets, oldest first.", AssetListSchema),
      "400": problem("VALIDATION_FAILED: a query parameter."),
    },
  },
  GetAsset: {
    summary: "One asset (participant: own; operator: any)",
    tags: ["Assets"],
    requestParams: { path: assetPath },
    responses: {
      "200": ok("The asset.", AssetSchema),
      "404": problem("NOT_FOUND, also for another participant's asset."),
    },
  },
  DecideAsset: {
    summary: "Qualify or reject an asset",
    description:
      "qualify: pending → qualified; reject: pending or qualified → rejected, releasing its MOL entry claims. Anything else: 409 DECISION_NOT_ALLOWED.",
    tags: ["Assets"],
    requestParams: { path: assetPath, header: idempotencyKey },
    requestBody: body(AssetDecisionBodySchema),
    responses: {
      "200": ok("The asset after the decision.", AssetSchema),
      "404": problem("NOT_FOUND."),
      ...WRITE_ERRORS,
    },
  },
  ListAuditRecords: {
    summary: "The audit log (who changed what, when)",
    tags: ["Operations"],
    requestParams: { query: AuditListQuerySchema },
    responses: {
      "200": ok("Audit records, oldest first.", AuditListSchema),
      "400": problem("VALIDATION_FAILED: a query parameter."),
    },
  },
};
