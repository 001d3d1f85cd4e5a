import * as z from "zod";
import {
  ASSET_DECISIONS,
  ASSET_STATUSES,
  ASSET_TYPES,
  MAX_ENTRIES_PER_ASSET,
} from "../../core/access/asset";
import { clientId } from "../../core/model/fields";
import { parseInstant } from "../../core/model/settlement-periods";
import { hasAtMostDecimals, MAX_MW } from "../../core/model/units";
import { instantString, limitParameter, nextTokenParameter, platformId, text } from "./fields";
import { participantId } from "./participant";

/**
 * The wire schemas of assets (api.md "Assets"): they validate and document the records of
 * `core/access/asset.ts`; a test keeps their types equal.
 */

export const assetId = platformId("ast").meta({
  description: "The asset (`ast-` and 20 hex digits).",
});

/** MW with ≤ 3 decimals (R-UNIT-1), ≥ 0. */
const capacityMw = z
  .number()
  .min(0, { message: "must be ≥ 0" })
  .max(MAX_MW, { message: `must be at most ${MAX_MW} MW` })
  .refine((v) => hasAtMostDecimals(v, 3), { message: "must have at most 3 decimals (R-UNIT-1)" });

const MPAN_PRIMES = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];

/** A 13-digit MPAN core whose last digit is the check digit of the other twelve. */
const mpan = z
  .string()
  .regex(/^[0-9]{13}$/, { message: "must be a 13-digit MPAN core" })
  .refine(
    (value) =>
      (MPAN_PRIMES.reduce((sum, prime, i) => sum + prime * Number(value[i]), 0) % 11) % 10 ===
      Number(value[12]),
    { message: "has a wrong check digit" },
  );

export const FlexibleServiceContractSchema = z
  .object({
    contractId: clientId.meta({ description: "The DNO's contract reference." }),
    start: instantString.meta({
      description: "Start of the contracted window.",
      format: "date-time",
    }),
    end: instantString.meta({ description: "End of the window (exclusive).", format: "date-time" }),
  })
  .strict()
  .superRefine((contract, ctx) => {
    const start = parseInstant(contract.start);
    const end = parseInstant(contract.end);
    if (start !== undefined && end !== undefined && end <= start) {
      ctx.addIssue({ code: "custom", path: ["end"], message: "must be after start" });
    }
  })
  .meta({
    id: "FlexibleServiceContract",
    description: "A flexibility contract with the DNO; its window blocks trading (R-ELIG-1).",
  });

export const AssetBodySchema = z
  .object({
    name: text(200).meta({ description: "The site's name." }),
    assetType: z.enum(ASSET_TYPES).meta({
      description:
        "discrete (one site) or group (an aggregated portfolio), as the ENA pre-qualification template.",
    }),
    technology: text(100).meta({ description: "e.g. wind, solar PV, battery, CHP." }),
    exportCapacityMw: capacityMw.meta({
      description: "Export capacity in MW, at most 3 decimals.",
    }),
    importCapacityMw: capacityMw
      .optional()
      .meta({ description: "Import capacity in MW, at most 3 decimals." }),
    connectionVoltageKv: z
      .number()
      .gt(0, { message: "must be > 0" })
      .max(1000, { message: "must be at most 1000 kV" })
      .refine((v) => hasAtMostDecimals(v, 3), { message: "must have at most 3 decimals" })
      .meta({ description: "Connection voltage in kV." }),
    exportMpan: mpan
      .optional()
      .meta({ description: "The export meter's 13-digit MPAN core (check digit verified)." }),
    importMpan: mpan.optional().meta({ description: "The import meter's 13-digit MPAN core." }),
    postcode: z
      .string()
      .regex(/^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$/, {
        message: "must be a UK postcode",
      })
      .meta({ description: "The site's postcode." }),
    anmSchemeId: clientId.meta({ description: "The ANM scheme the asset connects under." }),
    molEntryIds: z
      .array(clientId)
      .min(1, { message: "must name at least one MOL entry" })
      .max(MAX_ENTRIES_PER_ASSET, { message: `must name at most ${MAX_ENTRIES_PER_ASSET} entries` })
      .superRefine((ids, ctx) => {
        const seen = new Set<string>();
        ids.forEach((id, index) => {
          if (seen.has(id)) ctx.addIssue({ code: "custom", path: [index], message: "is repeated" });
          seen.add(id);
        });
      })
      .meta({
        description: "The MOL entries (connection contracts) the asset claims in the scheme.",
      }),
    flexibleServiceContracts: z
      .array(FlexibleServiceContractSchema)
      .max(50, { message: "must list at most 50 contracts" })
      .optional()
      .meta({ description: "Flexibility contracts with the DNO: their windows block trading." }),
  })
  .strict()
  .meta({
    id: "AssetRequest",
    description: "POST /assets body.",
    examples: [
      {
        name: "Moorside wind farm",
        assetType: "discrete",
        technology: "wind",
        exportCapacityMw: 5,
        connectionVoltageKv: 33,
        exportMpan: "1234567890126",
        postcode: "M1 1AA",
        anmSchemeId: "ENWL-ANM-01",
        molEntryIds: ["G4-A"],
      },
    ],
  });

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

export const AssetListQuerySchema = z
  .object({
    limit: limitParameter.meta({ description: "Items per page, 1–100; default 100." }),
    nextToken: nextTokenParameter.meta({ description: "The nextToken of the previous page." }),
  })
  .strict();

export const AssetDecisionBodySchema = z
  .object({
    decision: z.enum(ASSET_DECISIONS).meta({
      description:
        "qualify (pending → qualified) or reject (pending or qualified → rejected) (D-19).",
    }),
    reason: text(1000).optional().meta({ description: "Why; kept in the audit log." }),
  })
  .strict()
  .meta({
    id: "AssetDecision",
    description: "The operator's decision on an asset.",
    examples: [{ decision: "qualify", reason: "Meters and connection agreement checked" }],
  });

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
