import * as z from "zod";
import { ASSET_DECISIONS, ASSET_TYPES, MAX_ENTRIES_PER_ASSET } from "../../core/access/asset";
import { clientId } from "../../core/model/fields";
import { parseInstant } from "../../core/model/settlement-periods";
import { hasAtMostDecimals, MAX_MW } from "../../core/model/units";
import { instantString, limitParameter, nextTokenParameter, platformId, text } from "./fields";

/**
 * The asset route inputs the handlers parse (query, path and body schemas), apart from the
 * response schemas of `./asset.ts`, which only the OpenAPI document builds: a handler's bundle
 * builds these alone on its cold start (D-299). `./asset.ts` re-exports them.
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
