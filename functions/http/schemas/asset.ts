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

export const assetId = platformId("ast");

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
  .object({ contractId: clientId, start: instantString, end: instantString })
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
    name: text(200),
    assetType: z.enum(ASSET_TYPES),
    technology: text(100),
    exportCapacityMw: capacityMw,
    importCapacityMw: capacityMw.optional(),
    connectionVoltageKv: z
      .number()
      .gt(0, { message: "must be > 0" })
      .max(1000, { message: "must be at most 1000 kV" })
      .refine((v) => hasAtMostDecimals(v, 3), { message: "must have at most 3 decimals" }),
    exportMpan: mpan.optional(),
    importMpan: mpan.optional(),
    postcode: z.string().regex(/^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$/, {
      message: "must be a UK postcode",
    }),
    anmSchemeId: clientId,
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
      }),
    flexibleServiceContracts: z
      .array(FlexibleServiceContractSchema)
      .max(50, { message: "must list at most 50 contracts" })
      .optional(),
  })
  .strict()
  .meta({ id: "AssetRequest", description: "POST /assets body." });

export const AssetSchema = AssetBodySchema.safeExtend({
  assetId,
  participantId,
  status: z.enum(ASSET_STATUSES),
  statusReason: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: "Asset", description: "A registered asset." });

export const AssetListSchema = z
  .object({ items: z.array(AssetSchema), nextToken: z.string().optional() })
  .strict()
  .meta({ id: "AssetList" });

export const AssetListQuerySchema = z
  .object({ limit: limitParameter, nextToken: nextTokenParameter })
  .strict();

export const AssetDecisionBodySchema = z
  .object({ decision: z.enum(ASSET_DECISIONS), reason: text(1000).optional() })
  .strict()
  .meta({ id: "AssetDecision", description: "The operator's decision on an asset." });
