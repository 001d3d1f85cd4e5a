import * as z from "zod";
import { ASSET_STATUSES } from "../../core/access/asset";
import { AssetBodySchema, assetId } from "./asset-inputs";
import { participantId } from "./participant";

export {
  AssetBodySchema,
  AssetDecisionBodySchema,
  AssetListQuerySchema,
  assetId,
  FlexibleServiceContractSchema,
} from "./asset-inputs";

/**
 * The wire schemas of assets (api.md "Assets"): they validate and document the records of
 * `core/access/asset.ts`; a test keeps their types equal.
 */

export const AssetSchema = AssetBodySchema.safeExtend({
  assetId,
  participantId,
  status: z.enum(ASSET_STATUSES).meta({
    description:
      "pending, qualified (trades, R-ELIG-1) or rejected (final; its claims released) (D-19).",
  }),
  statusReason: z.string().optional().meta({ description: "The reason of the last decision." }),
  createdAt: z
    .string()
    .meta({ description: "When it was registered (ISO 8601, UTC).", format: "date-time" }),
  updatedAt: z
    .string()
    .meta({ description: "When it last changed (ISO 8601, UTC).", format: "date-time" }),
}).meta({ id: "Asset", description: "A registered asset." });

export const AssetListSchema = z
  .object({
    items: z.array(AssetSchema).meta({ description: "This page's assets." }),
    nextToken: z
      .string()
      .optional()
      .meta({ description: "For the next page; absent on the last." }),
  })
  .strict()
  .meta({ id: "AssetList" });

const csvProblem = z
  .object({
    path: z.string().meta({
      description:
        "The column at fault (its header, e.g. `Export Capacity (MW)`), `row` for the row as a whole.",
    }),
    message: z.string().meta({ description: "Why; a list column's item is named `item <n>:`." }),
  })
  .strict();

export const BulkAssetResultSchema = z
  .object({
    row: z.number().int().meta({ description: "The CSV line of the row (line 1 is the header)." }),
    status: z.enum(["created", "existing", "refused"]).meta({
      description:
        "created (a pending asset, as POST /assets), existing (the caller's asset with exactly this row's details already holds its entries: nothing created) or refused (nothing stored).",
    }),
    assetId: assetId.optional().meta({ description: "The asset, when created or existing." }),
    code: z.string().optional().meta({
      description:
        "Why refused: VALIDATION_FAILED (a cell), DUPLICATE_ROW (an entry an earlier row of the file names), ENTRY_ALREADY_CLAIMED (another asset holds an entry).",
    }),
    errors: z.array(csvProblem).optional().meta({ description: "The refused row's faults." }),
  })
  .strict()
  .meta({ id: "BulkAssetResult" });

export const BulkAssetAnswerSchema = z
  .object({
    counts: z
      .object({
        rows: z.number().int().meta({ description: "Data rows read (the header not counted)." }),
        created: z.number().int().meta({ description: "Rows registered as new pending assets." }),
        existing: z.number().int().meta({
          description: "Rows already registered, exactly so, by the caller: none created.",
        }),
        refused: z.number().int().meta({ description: "Rows refused: nothing of them stored." }),
      })
      .strict()
      .meta({ description: "Data rows read, and how many of each outcome." }),
    results: z
      .array(BulkAssetResultSchema)
      .meta({ description: "One per data row, in file order." }),
  })
  .strict()
  .meta({ id: "BulkAssetAnswer", description: "What became of each row of a bulk upload." });
