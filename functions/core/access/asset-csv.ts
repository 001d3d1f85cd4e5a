import { parse as parseCsv } from "csv-parse/sync";
import { DomainError, type FieldProblem } from "../errors";
import { ASSET_CSV_COLUMNS, type AssetCsvColumn, MAX_ASSET_CSV_ROWS } from "./asset-csv-columns";

/**
 * `POST /assets:bulk` as `text/csv` (D-115…D-118): the file read record by record by csv-parse
 * (the meter files' parser, D-82), each data row turned into the JSON body `POST /assets` takes,
 * with the faults only a flat file can have (a cell that is not a number, a spreadsheet formula,
 * unaligned contract lists) found here. Everything else is the JSON route's own validation.
 */

/** One data row: the `POST /assets` body it stands for, or why it cannot stand for one. */
export interface AssetCsvRow {
  /** The CSV line the row ends on (line 1 is the header). */
  row: number;
  /** The body built from the row's cells (empty cells left out); absent when unreadable. */
  body?: Record<string, unknown>;
  /** Faults of the cells themselves, paths being column names; empty when none. */
  errors: FieldProblem[];
}

const CONTRACT_FIELDS = ["contractId", "start", "end"] as const;
const NUMBER = /^-?\d+(\.\d+)?$/;
/** A cell a spreadsheet would run as a formula (CSV injection, D-117). */
const FORMULA = /^[=+\-@\t\r]/;

const columnOfField = new Map(ASSET_CSV_COLUMNS.map((c) => [c.field, c]));

/** The column a `POST /assets` body path (`molEntryIds.1`, `flexibleServiceContracts.0.end`) comes from. */
export function csvProblemOf(problem: FieldProblem): FieldProblem {
  const parts = problem.path.split(".");
  if (parts[0] === "flexibleServiceContracts") {
    const index = parts[1];
    const field = parts[2] ?? "contractId";
    const column = columnOfField.get(field)?.column ?? "Flexibility Contract IDs";
    return {
      path: column,
      message:
        index === undefined ? problem.message : `item ${Number(index) + 1}: ${problem.message}`,
    };
  }
  const column = columnOfField.get(parts[0] ?? "");
  if (column === undefined) return problem;
  return {
    path: column.column,
    message:
      parts[1] === undefined || column.kind !== "list"
        ? problem.message
        : `item ${Number(parts[1]) + 1}: ${problem.message}`,
  };
}

/**
 * The rows of a bulk upload. The header must name known columns only, each once, and every
 * required one (400 VALIDATION_FAILED, paths `header.<column>`); at least one data row and at
 * most {@link MAX_ASSET_CSV_ROWS} (413 PAYLOAD_TOO_LARGE). Blank lines are skipped; a record
 * the parser cannot read (a stray quote) is a refused row of its own.
 */
export function readAssetCsv(text: string): AssetCsvRow[] {
  const unreadable = new Map<number, string>();
  const records = parseCsv(text, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    on_skip: (error) => {
      const e = error as { lines?: number; message?: string };
      unreadable.set(
        typeof e.lines === "number" ? e.lines : 0,
        `cannot be read as CSV: ${(e.message ?? "malformed").split(":")[0]!.slice(0, 200)}`,
      );
      return undefined;
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [header, ...data] = records;
  if (header === undefined || [...unreadable.keys()].some((line) => line <= header.info.lines))
    throw new DomainError("VALIDATION_FAILED", "The CSV must start with its header line.", [
      { path: "header", message: "line 1 must name the columns (download the template)" },
    ]);
  const columns = headerColumns(header.record);
  if (data.length + unreadable.size === 0)
    throw new DomainError("VALIDATION_FAILED", "The CSV holds no asset rows.", [
      { path: "body", message: "must hold at least one row after the header" },
    ]);
  if (data.length + unreadable.size > MAX_ASSET_CSV_ROWS)
    throw new DomainError(
      "PAYLOAD_TOO_LARGE",
      `An upload holds at most ${MAX_ASSET_CSV_ROWS} asset rows; this one has ${data.length + unreadable.size}. Split the file.`,
    );
  const rows: AssetCsvRow[] = data.map(({ record, info }) => ({
    row: info.lines,
    ...rowOf(record, columns),
  }));
  for (const [line, message] of unreadable)
    rows.push({ row: line, errors: [{ path: "row", message }] });
  return rows.sort((a, b) => a.row - b.row);
}

/** The column of each header cell; 400 for an unknown, repeated or missing column. */
function headerColumns(cells: readonly string[]): AssetCsvColumn[] {
  const byName = new Map(ASSET_CSV_COLUMNS.map((c) => [c.column.toLowerCase(), c]));
  const errors: FieldProblem[] = [];
  const seen = new Set<AssetCsvColumn>();
  const columns: AssetCsvColumn[] = [];
  cells.forEach((cell, index) => {
    const column = byName.get(cell.trim().toLowerCase());
    if (column === undefined) {
      errors.push({
        path: `header.${cell.trim() || `column ${index + 1}`}`,
        message: `is not a column of the template: ${ASSET_CSV_COLUMNS.map((c) => c.column).join(", ")}`,
      });
    } else if (seen.has(column)) {
      errors.push({ path: `header.${column.column}`, message: "is repeated" });
    } else {
      seen.add(column);
    }
    columns.push(column ?? ASSET_CSV_COLUMNS[0]!);
  });
  for (const column of ASSET_CSV_COLUMNS)
    if (column.required && !seen.has(column))
      errors.push({ path: `header.${column.column}`, message: "is missing (a required column)" });
  if (errors.length > 0)
    throw new DomainError(
      "VALIDATION_FAILED",
      `The CSV header is not the template's: ${errors.length} problem(s).`,
      errors,
    );
  return columns;
}

function rowOf(
  record: readonly string[],
  columns: readonly AssetCsvColumn[],
): { body: Record<string, unknown>; errors: FieldProblem[] } {
  const errors: FieldProblem[] = [];
  const body: Record<string, unknown> = {};
  const contracts: Partial<Record<(typeof CONTRACT_FIELDS)[number], string[]>> = {};
  if (record.length > columns.length)
    errors.push({
      path: "row",
      message: `has ${record.length} cells; the header names ${columns.length} columns`,
    });
  columns.forEach((column, index) => {
    const cell = (record[index] ?? "").trim();
    if (cell === "") {
      if (column.required) errors.push({ path: column.column, message: "is required" });
      return;
    }
    if (column.kind !== "number" && FORMULA.test(cell)) {
      errors.push({
        path: column.column,
        message: "starts with =, +, -, @ or a tab: a spreadsheet formula is not accepted (D-117)",
      });
      return;
    }
    if (column.kind === "number") {
      if (NUMBER.test(cell)) body[column.field] = Number(cell);
      else errors.push({ path: column.column, message: "must be a number, e.g. 4.5" });
      return;
    }
    const value = column.kind === "list" ? cell.split(";").map((item) => item.trim()) : cell;
    if ((CONTRACT_FIELDS as readonly string[]).includes(column.field))
      contracts[column.field as (typeof CONTRACT_FIELDS)[number]] = value as string[];
    else body[column.field] = value;
  });
  const lengths = CONTRACT_FIELDS.map((field) => contracts[field]?.length ?? 0);
  const count = Math.max(...lengths);
  if (count > 0) {
    CONTRACT_FIELDS.forEach((field, i) => {
      if (lengths[i] !== count)
        errors.push({
          path: columnOfField.get(field)!.column,
          message: `must list ${count} item(s), one per flexibility contract`,
        });
    });
    body.flexibleServiceContracts = Array.from({ length: count }, (_, i) =>
      Object.fromEntries(CONTRACT_FIELDS.map((field) => [field, contracts[field]?.[i] ?? ""])),
    );
  }
  return { body, errors };
}
