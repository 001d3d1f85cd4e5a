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

/** RFC 4180: a field is quoted only when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
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
 * order, fields quoted only when RFC 4180 requires, CRLF after every row, UTF-8 without BOM
 * (written here rather than with a CSV package: D-82).
 */
export function statementCsv(statement: {
  statementId: string;
  version: number;
  month: string;
  lines: ReadonlyArray<SettlementLine>;
}): string {
  const rows = [STATEMENT_CSV_COLUMNS.join(",")];
  for (const line of [...statement.lines].sort(compareLines)) {
    const cells = lineCells(line, statement);
    rows.push(STATEMENT_CSV_COLUMNS.map((c) => csvField(cells[c])).join(","));
  }
  return `${rows.join("\r\n")}\r\n`;
}
