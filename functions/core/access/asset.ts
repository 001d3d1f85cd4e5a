import { decisionNotAllowed } from "./participant";

/**
 * Assets, with the fields of the ENA Open Networks flexibility pre-qualification template that
 * apply (api.md "Assets"). Only qualified assets of approved participants trade (R-ELIG-1);
 * statuses change only by {@link nextAssetStatus} (D-19).
 */
export const ASSET_STATUSES = ["pending", "qualified", "rejected"] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

export const ASSET_DECISIONS = ["qualify", "reject"] as const;
export type AssetDecision = (typeof ASSET_DECISIONS)[number];

export const ASSET_TYPES = ["discrete", "group"] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/** A DynamoDB transaction holds 100 items: the asset, one claim per entry, the audit record (D-19). */
export const MAX_ENTRIES_PER_ASSET = 98;

/** A flexibility contract with the DNO; its window blocks trading (R-ELIG-1, D-16). */
export interface FlexibleServiceContract {
  contractId: string;
  /** ISO 8601 instants with an offset. */
  start: string;
  end: string;
}

/** What `POST /assets` carries. Capacities in MW (≤ 3 decimals, R-UNIT-1), voltage in kV. */
export interface AssetRegistration {
  name: string;
  assetType: AssetType;
  technology: string;
  exportCapacityMw: number;
  importCapacityMw?: number;
  connectionVoltageKv: number;
  exportMpan?: string;
  importMpan?: string;
  postcode: string;
  anmSchemeId: string;
  /** MOL entries this asset claims in its ANM scheme: one asset per entry (D-19). */
  molEntryIds: string[];
  flexibleServiceContracts?: FlexibleServiceContract[];
}

/** A registered asset as every reader sees it. */
export interface Asset extends AssetRegistration {
  assetId: string;
  participantId: string;
  status: AssetStatus;
  /** The reason given with the last decision. */
  statusReason?: string;
  /** ISO 8601 UTC with milliseconds. */
  createdAt: string;
  updatedAt: string;
}

/** D-19: which statuses each decision applies to, and the status it gives. */
export const ASSET_TRANSITIONS: Readonly<
  Record<AssetDecision, { readonly from: readonly AssetStatus[]; readonly to: AssetStatus }>
> = {
  qualify: { from: ["pending"], to: "qualified" },
  reject: { from: ["pending", "qualified"], to: "rejected" },
};

/** D-19: the status a decision gives; 409 `DECISION_NOT_ALLOWED` from any other status. */
export function nextAssetStatus(current: AssetStatus, decision: AssetDecision): AssetStatus {
  const transition = ASSET_TRANSITIONS[decision];
  if (!transition.from.includes(current)) throw decisionNotAllowed("asset", current, decision);
  return transition.to;
}

/** One stored claim of a MOL entry in a scheme: which asset holds it. */
export interface EntryClaimRecord {
  entryId: string;
  assetId: string;
}
