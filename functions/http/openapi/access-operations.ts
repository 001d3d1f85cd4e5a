import * as z from "zod";
import type { ZodOpenApiResponseObject } from "zod-openapi";
import {
  ASSET_CSV_COLUMNS,
  assetCsvTemplate,
  MAX_ASSET_CSV_ROWS,
} from "../../core/access/asset-csv-columns";
import {
  AssetBodySchema,
  AssetDecisionBodySchema,
  AssetListQuerySchema,
  AssetListSchema,
  AssetSchema,
  BulkAssetAnswerSchema,
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
import type { RouteContract } from "./operations";

/** The documented contract of the registration, participant, asset and audit routes. */
type Contract = RouteContract;

export type AccessRouteId =
  | "CreateRegistration"
  | "ListParticipants"
  | "GetParticipant"
  | "DecideParticipant"
  | "ClaimApiKey"
  | "GetMe"
  | "CreateAsset"
  | "CreateAssetsInBulk"
  | "ListAssets"
  | "GetAsset"
  | "DecideAsset"
  | "ListAuditRecords";

function ok(description: string, schema: z.ZodType): ZodOpenApiResponseObject {
  return { description, content: { "application/json": { schema } } };
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

const participantPath = z.object({
  participantId: z.string().meta({ description: "The participant (`par-…`)." }),
});
const assetPath = z.object({ assetId: z.string().meta({ description: "The asset (`ast-…`)." }) });

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
    },
    errors: ["TOO_MANY_REGISTRATIONS"],
  },
  ListParticipants: {
    summary: "List participants, by status",
    tags: ["Registration"],
    requestParams: { query: ParticipantListQuerySchema },
    responses: {
      "200": ok("Participants, oldest registration first.", ParticipantListSchema),
    },
  },
  GetParticipant: {
    summary: "One participant",
    tags: ["Registration"],
    requestParams: { path: participantPath },
    responses: { "200": ok("The participant.", ParticipantSchema) },
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
    },
    errors: ["DECISION_NOT_ALLOWED"],
  },
  ClaimApiKey: {
    summary: "Claim the participant's API key (once, after approval)",
    tags: ["Registration"],
    requestParams: { path: participantPath, header: idempotencyKey },
    requestBody: body(ApiKeyClaimBodySchema),
    responses: {
      "201": ok("The API key, shown once; only its hash is stored.", ApiKeySchema),
    },
    // NOT_FOUND also for a wrong claim secret (D-20).
    errors: ["NOT_APPROVED", "ALREADY_CLAIMED", "CLAIM_SECRET_EXPIRED"],
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
    },
    errors: ["ENTRY_ALREADY_CLAIMED"],
  },
  CreateAssetsInBulk: {
    summary: "Register assets from a CSV file (the flat-file path)",
    description: [
      `\`text/csv\` (RFC 4180, UTF-8), one asset per row, at most ${MAX_ASSET_CSV_ROWS} rows and 1 MiB; other content types 415, more rows 413. The header names the columns (any order, case-insensitive), after the ENA Open Networks flexibility pre-qualification template where one corresponds; each fills a field of the POST /assets body (lists separated by \`;\`):`,
      ASSET_CSV_COLUMNS.map(
        (c) =>
          `- \`${c.column}\` → \`${["contractId", "start", "end"].includes(c.field) ? `flexibleServiceContracts[].${c.field}` : c.field}\`${c.required ? " (required)" : ""}: ${c.description}`,
      ).join("\n"),
      "An unknown, repeated or missing required column is 400 VALIDATION_FAILED (paths `header.<column>`) and nothing is stored. Each row is validated by the POST /assets schema and registered by its use case in a transaction of its own: a refused row stores nothing, the others are registered. A cell starting with =, +, -, @ or a tab (a spreadsheet formula) is refused. Idempotent: a row whose MOL entries the caller's asset with exactly its details already holds is `existing` and creates nothing, so the same file uploaded again creates nothing new. Each created asset has its `asset.registered` audit record, as POST /assets.",
    ].join("\n\n"),
    tags: ["Assets"],
    requestParams: { header: idempotencyKey },
    requestBody: {
      required: true,
      content: {
        "text/csv": {
          schema: z.string().meta({ description: "The asset rows, after the header line." }),
          example: assetCsvTemplate(),
        },
      },
    },
    responses: {
      "200": ok("One result per row and the counts.", BulkAssetAnswerSchema),
    },
  },
  ListAssets: {
    summary: "List assets (participant: own; operator: all)",
    tags: ["Assets"],
    requestParams: { query: AssetListQuerySchema },
    responses: {
      "200": ok("Assets, oldest first.", AssetListSchema),
    },
  },
  GetAsset: {
    summary: "One asset (participant: own; operator: any)",
    tags: ["Assets"],
    requestParams: { path: assetPath },
    responses: {
      "200": ok("The asset (another participant's is NOT_FOUND).", AssetSchema),
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
    },
    errors: ["DECISION_NOT_ALLOWED"],
  },
  ListAuditRecords: {
    summary: "The audit log (who changed what, when)",
    tags: ["Operations"],
    requestParams: { query: AuditListQuerySchema },
    responses: {
      "200": ok("Audit records, oldest first.", AuditListSchema),
    },
  },
};
