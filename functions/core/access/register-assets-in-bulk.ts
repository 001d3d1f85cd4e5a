import { DomainError, type FieldProblem } from "../errors";
import type { EntryClaimStore } from "../ports";
import type { Asset, AssetRegistration } from "./asset";
import { type RegisterAssetPorts, registerAsset } from "./register-asset";
import type { Actor } from "./roles";

/** One row of a bulk upload as the use case gets it: a valid registration, or its faults. */
export type BulkAssetRow =
  | { row: number; registration: AssetRegistration }
  | { row: number; code: string; errors: FieldProblem[] };

/** What became of one row (D-118). Paths of `errors` are the `POST /assets` body's. */
export type BulkAssetResult =
  | { row: number; status: "created" | "existing"; assetId: string }
  | { row: number; status: "refused"; code: string; errors: FieldProblem[] };

export interface BulkAssetAnswer {
  counts: { rows: number; created: number; existing: number; refused: number };
  results: BulkAssetResult[];
}

export interface RegisterAssetsInBulkPorts extends RegisterAssetPorts {
  claims: Pick<EntryClaimStore, "claimOf">;
}

/** Rows registered at once (each one its own transaction). */
const CONCURRENCY = 8;

/**
 * `POST /assets:bulk` (participant, D-118): each valid row is registered by
 * {@link registerAsset}, the use case of `POST /assets`, in its own transaction, so a refused
 * row stores nothing and leaves the others as they are. Idempotent by the assets' own
 * uniqueness (one asset per MOL entry and scheme, D-19): a row whose entries the caller's asset
 * with exactly this registration already holds is `existing` and creates nothing; a row naming
 * an entry an earlier row of the same file names is refused `DUPLICATE_ROW`; an entry held by any
 * other asset is refused `ENTRY_ALREADY_CLAIMED`, as the single route answers.
 */
export async function registerAssetsInBulk(
  ports: RegisterAssetsInBulkPorts,
  participantId: string,
  rows: readonly BulkAssetRow[],
  actor: Actor,
): Promise<BulkAssetAnswer> {
  const results: BulkAssetResult[] = new Array(rows.length);
  const firstRowOf = new Map<string, number>();
  const todo: { index: number; row: number; registration: AssetRegistration }[] = [];
  rows.forEach((input, index) => {
    if (!("registration" in input)) {
      results[index] = {
        row: input.row,
        status: "refused",
        code: input.code,
        errors: input.errors,
      };
      return;
    }
    const { anmSchemeId, molEntryIds } = input.registration;
    const repeated: FieldProblem[] = [];
    molEntryIds.forEach((entryId, i) => {
      const first = firstRowOf.get(`${anmSchemeId}\u0000${entryId}`);
      if (first !== undefined)
        repeated.push({
          path: `molEntryIds.${i}`,
          message: `entry ${entryId} of scheme ${anmSchemeId} is also on row ${first} of this file`,
        });
    });
    if (repeated.length > 0) {
      results[index] = {
        row: input.row,
        status: "refused",
        code: "DUPLICATE_ROW",
        errors: repeated,
      };
      return;
    }
    for (const entryId of molEntryIds) firstRowOf.set(`${anmSchemeId}\u0000${entryId}`, input.row);
    todo.push({ index, row: input.row, registration: input.registration });
  });

  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const item = todo[next++]!;
      results[item.index] = await registerRow(ports, participantId, item, actor);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, worker));

  const count = (status: BulkAssetResult["status"]) =>
    results.filter((r) => r.status === status).length;
  return {
    counts: {
      rows: rows.length,
      created: count("created"),
      existing: count("existing"),
      refused: count("refused"),
    },
    results,
  };
}

async function registerRow(
  ports: RegisterAssetsInBulkPorts,
  participantId: string,
  item: { row: number; registration: AssetRegistration },
  actor: Actor,
): Promise<BulkAssetResult> {
  const { row, registration } = item;
  const held = await heldBySameAsset(ports, participantId, registration);
  if (held) return { row, status: "existing", assetId: held.assetId };
  try {
    const asset = await registerAsset(ports, participantId, registration, actor);
    return { row, status: "created", assetId: asset.assetId };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    // A racing upload of the same row may have registered it meanwhile: that is the same asset.
    const raced = await heldBySameAsset(ports, participantId, registration);
    if (raced) return { row, status: "existing", assetId: raced.assetId };
    return { row, status: "refused", code: error.code, errors: [...error.errors] };
  }
}

/** The caller's asset (not rejected) holding the row's first entry with exactly this registration. */
async function heldBySameAsset(
  ports: RegisterAssetsInBulkPorts,
  participantId: string,
  registration: AssetRegistration,
): Promise<Asset | undefined> {
  const claim = await ports.claims.claimOf(registration.anmSchemeId, registration.molEntryIds[0]!);
  if (claim === undefined) return undefined;
  const asset = await ports.assets.get(claim.assetId);
  if (asset === undefined || asset.participantId !== participantId || asset.status === "rejected")
    return undefined;
  return sameRegistration(asset, registration) ? asset : undefined;
}

const REGISTRATION_FIELDS = [
  "name",
  "assetType",
  "technology",
  "exportCapacityMw",
  "importCapacityMw",
  "connectionVoltageKv",
  "exportMpan",
  "importMpan",
  "postcode",
  "anmSchemeId",
  "molEntryIds",
  "flexibleServiceContracts",
] as const satisfies readonly (keyof AssetRegistration)[];

/** Every registration field equal (lists in order); an absent list equals an empty one. */
export function sameRegistration(
  asset: AssetRegistration,
  registration: AssetRegistration,
): boolean {
  return REGISTRATION_FIELDS.every((field) => {
    const a = asset[field];
    const b = registration[field];
    if (field === "flexibleServiceContracts") {
      const list = (v: AssetRegistration["flexibleServiceContracts"]) =>
        JSON.stringify((v ?? []).map((c) => [c.contractId, c.start, c.end]));
      return list(asset[field]) === list(registration[field]);
    }
    return JSON.stringify(a) === JSON.stringify(b);
  });
}
