/**
 * The columns of `POST /assets:bulk` (`text/csv`, one asset per row), named after the ENA Open
 * Networks flexibility pre-qualification template where one corresponds (D-115). Each column
 * fills one field of the `POST /assets` body; lists (`molEntryIds` and the flexibility
 * contracts) are separated by `;` inside their cell. Data only: the console builds its
 * downloadable template from this list, the API reads uploads by it.
 */
export interface AssetCsvColumn {
  /** The header cell, exactly (compared without surrounding spaces, case-insensitively). */
  readonly column: string;
  /** The `POST /assets` body field it fills (a contract's field for the contract columns). */
  readonly field: string;
  /** text: the cell as is; number: a decimal number; list: `;`-separated items. */
  readonly kind: "text" | "number" | "list";
  readonly required: boolean;
  /** What the template's example row holds. */
  readonly example: string;
  /** For the template and the API description. */
  readonly description: string;
}

export const ASSET_CSV_COLUMNS: readonly AssetCsvColumn[] = [
  {
    column: "Asset Name",
    field: "name",
    kind: "text",
    required: true,
    example: "Moorside wind farm",
    description: "The site's name.",
  },
  {
    column: "Asset Type",
    field: "assetType",
    kind: "text",
    required: true,
    example: "discrete",
    description: "discrete (one site) or group (an aggregated portfolio).",
  },
  {
    column: "Technology Type",
    field: "technology",
    kind: "text",
    required: true,
    example: "wind",
    description: "e.g. wind, solar PV, battery, CHP.",
  },
  {
    column: "Export Capacity (MW)",
    field: "exportCapacityMw",
    kind: "number",
    required: true,
    example: "5",
    description: "MW, at most 3 decimals.",
  },
  {
    column: "Import Capacity (MW)",
    field: "importCapacityMw",
    kind: "number",
    required: false,
    example: "",
    description: "MW, at most 3 decimals.",
  },
  {
    column: "Connection Voltage (kV)",
    field: "connectionVoltageKv",
    kind: "number",
    required: true,
    example: "33",
    description: "kV.",
  },
  {
    column: "Export MPAN",
    field: "exportMpan",
    kind: "text",
    required: false,
    example: "1234567890126",
    description: "13-digit MPAN core.",
  },
  {
    column: "Import MPAN",
    field: "importMpan",
    kind: "text",
    required: false,
    example: "",
    description: "13-digit MPAN core.",
  },
  {
    column: "Site Postcode",
    field: "postcode",
    kind: "text",
    required: true,
    example: "M1 1AA",
    description: "A UK postcode.",
  },
  {
    column: "ANM Scheme ID",
    field: "anmSchemeId",
    kind: "text",
    required: true,
    example: "ENWL-ANM-01",
    description: "The ANM scheme the asset connects under.",
  },
  {
    column: "MOL Entry IDs",
    field: "molEntryIds",
    kind: "list",
    required: true,
    example: "G4-A",
    description: "The MOL entries the asset claims, separated by ;.",
  },
  {
    column: "Flexibility Contract IDs",
    field: "contractId",
    kind: "list",
    required: false,
    example: "",
    description: "The DNO's flexibility contract references, separated by ;.",
  },
  {
    column: "Flexibility Contract Starts",
    field: "start",
    kind: "list",
    required: false,
    example: "",
    description: "Each contract's start (ISO 8601 with an offset), in the same order.",
  },
  {
    column: "Flexibility Contract Ends",
    field: "end",
    kind: "list",
    required: false,
    example: "",
    description: "Each contract's end (exclusive), in the same order.",
  },
];

/** Data rows per upload at most (D-116); the body is also at most 1 MiB. */
export const MAX_ASSET_CSV_ROWS = 1000;

/** The template: the header and one example row (RFC 4180; no cell here needs quoting). */
export function assetCsvTemplate(): string {
  return `${ASSET_CSV_COLUMNS.map((c) => c.column).join(",")}\r\n${ASSET_CSV_COLUMNS.map((c) => c.example).join(",")}\r\n`;
}
