import { stringify } from "csv-stringify/sync";
import { Rational } from "../model/rational";
import type { SettlementLine } from "./lines";

/** R-SETTLE-8 columns, in order. */
export const STATEMENT_CSV_COLUMNS = [
  "statementId",
  "version",
  "month",
  "participantId",
  "role",
  "tradeId",
  "deliveryDate",
  "marketId",
  "constraintId",
  "entryId",
  "counterpartyEntryId",
  "status",
  "quantityMw",
  "availabilityPrice",
  "utilisationPrice",
  "validHours",
  "expectedMwh",
  "deliveredMwh",
  "performanceRatio",
  "performanceMultiplier",
  "availabilityGbp",
  "utilisationGbp",
  "totalGbp",
  "thirdPartyImpactMwh",
  "flags",
] as const;

/** Integer pence as fixed 2-decimal GBP text. */
export function penceText(pence: number): string {
  const negative = pence < 0;
  const abs = Math.abs(pence);
  return `${negative ? "-" : ""}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/**
 * R-SETTLE-8/9 (§19): a line's cells as shown — MW 3 dp; hours, MWh, r, PM 6 dp; GBP 2 dp;
 * half-up; a null ratio empty; flags `;`-joined. Keyed by {@link STATEMENT_CSV_COLUMNS}.
 */
export function lineCells(
  line: SettlementLine,
  statement: { statementId: string; version: number; month: string },
): Record<(typeof STATEMENT_CSV_COLUMNS)[number], string> {
  return {
    statementId: statement.statementId,
    version: String(statement.version),
    month: statement.month,
    participantId: line.participantId,
    role: line.role,
    tradeId: line.tradeId,
    deliveryDate: line.deliveryDate,
    marketId: line.marketId,
    constraintId: line.constraintId,
    entryId: line.entryId,
    counterpartyEntryId: line.counterpartyEntryId,
    status: line.status,
    quantityMw: Rational.of(line.quantityKw, 1000).toFixed(3),
    availabilityPrice: penceText(line.availabilityPricePence),
    utilisationPrice: penceText(line.utilisationPricePence),
    validHours: line.validHours.toFixed(6),
    expectedMwh: line.expectedMwh.toFixed(6),
    deliveredMwh: line.deliveredMwh.toFixed(6),
    performanceRatio: line.performanceRatio?.toFixed(6) ?? "",
    performanceMultiplier: line.performanceMultiplier?.toFixed(6) ?? "",
    availabilityGbp: penceText(line.availabilityPence),
    utilisationGbp: penceText(line.utilisationPence),
    totalGbp: penceText(line.totalPence),
    thirdPartyImpactMwh: line.thirdPartyImpactMwh.toFixed(6),
    flags: line.flags.join(";"),
  };
}

/** A cell that is a plain decimal number (possibly negative): never a formula, left as it is. */
const NUMBER_CELL = /^-?\d+(\.\d+)?$/;

/**
 * Formula injection (D-222): a text cell that a spreadsheet would read as a formula — it
 * begins with `=`, `+`, `-`, `@`, a tab or a carriage return — gets a leading `'`, which
 * spreadsheets show as text; a cell that is a plain decimal number (`-12.50`) is left as it is,
 * so negative amounts stay numbers.
 */
export function formulaSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) && !NUMBER_CELL.test(cell) ? `'${cell}` : cell;
}

/** csv-stringify's settings for R-SETTLE-8: CRLF after every row, quoting only where RFC 4180 needs it. */
const CSV_OPTIONS = {
  record_delimiter: "\r\n",
  // csv-stringify quotes a field holding the record delimiter (CRLF); RFC 4180 wants a lone CR or LF quoted too.
  quoted_match: /[\r\n]/,
  bom: false,
  cast: { string: (value: string) => formulaSafe(value) },
} as const;

/** One RFC 4180 field as csv-stringify writes it (quoted only when it holds `,`, `"` or a line break). */
export function csvField(value: string): string {
  return stringify([[value]], { ...CSV_OPTIONS, cast: {} }).replace(/\r\n$/, "");
}

/** R-SETTLE-8 order: deliveryDate, marketId, tradeId, role. */
export function compareLines(a: SettlementLine, b: SettlementLine): number {
  const key = (l: SettlementLine) => [l.deliveryDate, l.marketId, l.tradeId, l.role, l.entryId];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i += 1) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

/**
 * R-SETTLE-8 (§19): the statement CSV — a header, one row per line in {@link compareLines}
 * order, fields quoted only when RFC 4180 requires, CRLF after every row, UTF-8 without BOM,
 * text cells guarded against formula injection ({@link formulaSafe}); written with
 * csv-stringify (D-82).
 */
export function statementCsv(statement: {
  statementId: string;
  version: number;
  month: string;
  lines: ReadonlyArray<SettlementLine>;
}): string {
  const rows: string[][] = [[...STATEMENT_CSV_COLUMNS]];
  for (const line of [...statement.lines].sort(compareLines)) {
    const cells = lineCells(line, statement);
    rows.push(STATEMENT_CSV_COLUMNS.map((c) => cells[c]));
  }
  return stringify(rows, CSV_OPTIONS);
}
