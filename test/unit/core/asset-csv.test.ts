import { describe, expect, it } from "vitest";
import { csvProblemOf, readAssetCsv } from "../../../functions/core/access/asset-csv";
import {
  ASSET_CSV_COLUMNS,
  assetCsvTemplate,
  MAX_ASSET_CSV_ROWS,
} from "../../../functions/core/access/asset-csv-columns";
import type { DomainError } from "../../../functions/core/errors";

/** The flat file's own reading (D-115…D-117), before the JSON route's schema judges each row. */
const HEADER = ASSET_CSV_COLUMNS.map((c) => c.column).join(",");
const refusal = (text: string) => {
  try {
    readAssetCsv(text);
  } catch (error) {
    return error as DomainError;
  }
  throw new Error("not refused");
};

describe("reading an asset CSV", () => {
  it("reads the template's example row into the POST /assets body", () => {
    expect(readAssetCsv(assetCsvTemplate())).toEqual([
      {
        row: 2,
        errors: [],
        body: {
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
      },
    ]);
  });

  it("takes the columns in any order and case, a BOM, quoted cells and blank lines", () => {
    const text = `\uFEFFmol entry ids,ASSET NAME,Asset Type,Technology Type,Export Capacity (MW),Connection Voltage (kV),Site Postcode,ANM Scheme ID\n\n"A; B","Site, north",group,wind,1.5,11,M1 1AA,S\n`;
    const [row] = readAssetCsv(text);
    expect(row).toMatchObject({
      row: 3,
      errors: [],
      body: { molEntryIds: ["A", "B"], name: "Site, north", exportCapacityMw: 1.5 },
    });
  });

  it.each([
    ["a formula", "Asset Name", "=1+1", /formula/],
    ["a formula after spaces", "Technology Type", "  @cmd", /formula/],
    ["not a number", "Export Capacity (MW)", "5 MW", /must be a number/],
    ["a required cell left empty", "Site Postcode", "", /is required/],
  ])("refuses %s in its column", (_, column, cell, message) => {
    const example = ASSET_CSV_COLUMNS.map((c) => (c.column === column ? cell : c.example));
    const [row] = readAssetCsv(`${HEADER}\n${example.join(",")}\n`);
    expect(row!.errors).toEqual([{ path: column, message: expect.stringMatching(message) }]);
  });

  it("pairs the flexibility contract columns item by item, and refuses lists of other lengths", () => {
    const cells = (ids: string, starts: string, ends: string) =>
      ASSET_CSV_COLUMNS.map((c) =>
        c.column === "Flexibility Contract IDs"
          ? ids
          : c.column === "Flexibility Contract Starts"
            ? starts
            : c.column === "Flexibility Contract Ends"
              ? ends
              : c.example,
      ).join(",");
    const [ok, bad] = readAssetCsv(
      `${HEADER}\n${cells("C1;C2", "2027-01-01T00:00:00Z;2027-02-01T00:00:00Z", "2027-01-02T00:00:00Z;2027-02-02T00:00:00Z")}\n${cells("C1;C2", "2027-01-01T00:00:00Z", "2027-01-02T00:00:00Z;2027-02-02T00:00:00Z")}\n`,
    );
    expect(ok!.body!.flexibleServiceContracts).toEqual([
      { contractId: "C1", start: "2027-01-01T00:00:00Z", end: "2027-01-02T00:00:00Z" },
      { contractId: "C2", start: "2027-02-01T00:00:00Z", end: "2027-02-02T00:00:00Z" },
    ]);
    expect(bad!.errors).toEqual([
      {
        path: "Flexibility Contract Starts",
        message: "must list 2 item(s), one per flexibility contract",
      },
    ]);
  });

  it("a line the parser cannot read is that row's refusal, not the file's", () => {
    const example = ASSET_CSV_COLUMNS.map((c) => c.example).join(",");
    const rows = readAssetCsv(`${HEADER}\n${example}\nbad "quote,x\n${example}\n`);
    expect(rows.map((r) => [r.row, r.errors.length > 0])).toEqual([
      [2, false],
      [3, true],
      [4, false],
    ]);
    expect(rows[1]!.errors[0]).toMatchObject({ path: "row", message: /cannot be read as CSV/ });
  });

  it("refuses the file for an unknown, repeated or missing column, no rows, or too many rows", () => {
    expect(refusal("Asset Name,Asset Name,Colour\nx,y,z\n").errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(["header.Colour", "header.Asset Name", "header.Site Postcode"]),
    );
    expect(refusal(`${HEADER}\n`)).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(refusal("")).toMatchObject({ code: "VALIDATION_FAILED" });
    const example = ASSET_CSV_COLUMNS.map((c) => c.example).join(",");
    const many = `${HEADER}\n${Array.from({ length: MAX_ASSET_CSV_ROWS + 1 }, () => example).join("\n")}\n`;
    expect(refusal(many)).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(
      readAssetCsv(
        `${HEADER}\n${Array.from({ length: MAX_ASSET_CSV_ROWS }, () => example).join("\n")}\n`,
      ),
    ).toHaveLength(MAX_ASSET_CSV_ROWS);
  });

  it.each([
    ["exportCapacityMw", "Export Capacity (MW)", "m"],
    ["molEntryIds.2", "MOL Entry IDs", "item 3: m"],
    ["flexibleServiceContracts.1.end", "Flexibility Contract Ends", "item 2: m"],
    ["flexibleServiceContracts", "Flexibility Contract IDs", "m"],
  ])("names the column of body path %s", (path, column, message) => {
    expect(csvProblemOf({ path, message: "m" })).toEqual({ path: column, message });
  });
});
