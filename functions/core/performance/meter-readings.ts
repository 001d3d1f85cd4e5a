import { hash } from "node:crypto";
import * as z from "zod";
import { DomainError, type FieldProblem } from "../errors";
import { meterDeadlineMs } from "../model/calendar";
import { calendarDate, clientId } from "../model/fields";
import { deterministicId } from "../model/ids";
import { localMidnight, periodCount } from "../model/settlement-periods";
import { hasAtMostDecimals } from "../model/units";
import { kwhPerSpToW, kwToW } from "../model/watts";

export type Direction = "export" | "import";

const readingValue = z
  .number()
  .min(0, { message: "must be ≥ 0" })
  .max(1_000_000_000, { message: "must be at most 10⁹" })
  .refine((v) => hasAtMostDecimals(v, 3), { message: "must have at most 3 decimals" });

/** The JSON body of `POST /meter-readings` (R-PERF-2); `null` = no reading for that SP. */
export const MeterReadingsBodySchema = z.strictObject({
  readings: z
    .array(
      z.strictObject({
        anmSchemeId: clientId,
        entryId: clientId,
        deliveryDate: calendarDate,
        direction: z.enum(["export", "import"]),
        unit: z.enum(["kW", "kWh"]),
        values: z.array(readingValue.nullable()).max(50),
      }),
    )
    .min(1)
    .max(1000),
});

export type MeterReadingsBody = z.infer<typeof MeterReadingsBodySchema>;

/** The CSV header of `POST /meter-readings` as `text/csv` (docs/api.md), exactly. */
export const METER_CSV_HEADER =
  "anmSchemeId,entryId,deliveryDate,settlementPeriod,direction,unit,value";

/** One day of one entry and direction in an upload, in integer watts (R-UNIT-3). */
export interface MeterDay {
  anmSchemeId: string;
  entryId: string;
  deliveryDate: string;
  direction: Direction;
  /** Average W per SP of the day; null where the upload has no reading. */
  valuesW: (number | null)[];
}

/** An accepted upload (R-PERF-2). */
export interface MeterUpload {
  uploadId: string;
  receivedAtMs: number;
  /** An operator's upload is a correction: it counts whenever received. */
  byOperator: boolean;
  days: MeterDay[];
}

/** R-PERF-2 faults against the day structure (422 METER_READINGS_INVALID). */
export class MeterReadingsInvalidError extends DomainError {
  constructor(errors: ReadonlyArray<FieldProblem>) {
    super("METER_READINGS_INVALID", "The meter readings do not fit their days (R-PERF-2).", errors);
    this.name = "MeterReadingsInvalidError";
  }
}

/** 400 VALIDATION_FAILED for a CSV upload, with `line <n>.<column>` paths. */
export class MeterCsvInvalidError extends DomainError {
  constructor(errors: ReadonlyArray<FieldProblem>) {
    super("VALIDATION_FAILED", `${errors.length} CSV field(s) are invalid`, errors);
    this.name = "MeterCsvInvalidError";
  }
}

/**
 * Splits RFC 4180 text into records of fields: quoted fields may hold commas, quotes (doubled)
 * and line breaks; records end with CRLF or LF. A trailing line break ends the last record
 * (read here rather than with a CSV package: D-82).
 */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  const endRecord = () => {
    record.push(field);
    records.push(record);
    record = [];
    field = "";
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      endRecord();
      i += 1;
    } else if (ch === "\n") endRecord();
    else field += ch;
    i += 1;
  }
  if (field !== "" || record.length > 0) endRecord();
  return records;
}

/**
 * R-PERF-2: a `text/csv` upload → readings. The header must be exactly {@link METER_CSV_HEADER};
 * each row names one SP (1…n of its day), `unit` kW (average) or kWh (per SP), `value` ≥ 0 with
 * at most 3 decimals. Field faults are 400 with path `line <n>.<column>`; a repeated
 * (entry, day, SP, direction) or an SP outside its day is 422.
 */
export function parseMeterCsv(text: string): MeterDay[] {
  const clean = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const records = parseCsvRecords(clean);
  const columns = METER_CSV_HEADER.split(",");
  const errors: FieldProblem[] = [];
  if (records[0]?.join(",") !== METER_CSV_HEADER) {
    throw new MeterCsvInvalidError([
      { path: "line 1", message: `header must be exactly ${METER_CSV_HEADER}` },
    ]);
  }
  const days = new Map<string, MeterDay>();
  const rules: FieldProblem[] = [];
  records.slice(1).forEach((row, r) => {
    const line = r + 2;
    if (row.length === 1 && row[0] === "") return;
    if (row.length !== columns.length) {
      errors.push({ path: `line ${line}`, message: `must have ${columns.length} fields` });
      return;
    }
    const [scheme, entryId, date, spText, direction, unit, valueText] = row as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const bad = (column: string, message: string) =>
      errors.push({ path: `line ${line}.${column}`, message });
    if (!clientId.safeParse(scheme).success) bad("anmSchemeId", "must be an id");
    if (!clientId.safeParse(entryId).success) bad("entryId", "must be an id");
    if (!localMidnight(date)) bad("deliveryDate", "must be a calendar date YYYY-MM-DD");
    if (!/^\d{1,2}$/.test(spText)) bad("settlementPeriod", "must be a whole number");
    if (direction !== "export" && direction !== "import")
      bad("direction", "must be export or import");
    if (unit !== "kW" && unit !== "kWh") bad("unit", "must be kW or kWh");
    const value = /^\d+(\.\d{1,3})?$/.test(valueText) ? Number(valueText) : Number.NaN;
    if (!Number.isFinite(value)) bad("value", "must be a number ≥ 0 with at most 3 decimals");
    if (errors.some((e) => e.path.startsWith(`line ${line}`))) return;
    const n = periodCount(date);
    const sp = Number(spText);
    if (sp < 1 || sp > n) {
      rules.push({ path: `line ${line}.settlementPeriod`, message: `must be 1…${n} for ${date}` });
      return;
    }
    const key = `${scheme}\u0000${entryId}\u0000${date}\u0000${direction}`;
    let day = days.get(key);
    if (!day) {
      day = {
        anmSchemeId: scheme,
        entryId,
        deliveryDate: date,
        direction: direction as Direction,
        valuesW: Array.from({ length: n }, () => null),
      };
      days.set(key, day);
    }
    if (day.valuesW[sp - 1] !== null) {
      rules.push({
        path: `line ${line}`,
        message: "a second reading for this entry, day, SP and direction",
      });
      return;
    }
    day.valuesW[sp - 1] = unit === "kW" ? kwToW(value) : kwhPerSpToW(value);
  });
  if (errors.length > 0) throw new MeterCsvInvalidError(errors);
  if (rules.length > 0) throw new MeterReadingsInvalidError(rules);
  return [...days.values()];
}

/** R-PERF-2: a JSON upload → readings; one value per SP of each day, no repeated day (422). */
export function meterDaysOfJson(body: MeterReadingsBody): MeterDay[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  const out: MeterDay[] = [];
  body.readings.forEach((r, i) => {
    const n = periodCount(r.deliveryDate);
    if (r.values.length !== n)
      problems.push({
        path: `readings.${i}.values`,
        message: `must have exactly ${n} values (R-TIME-1)`,
      });
    const key = `${r.anmSchemeId}\u0000${r.entryId}\u0000${r.deliveryDate}\u0000${r.direction}`;
    if (seen.has(key))
      problems.push({
        path: `readings.${i}`,
        message: "a second reading for this entry, day and direction",
      });
    seen.add(key);
    out.push({
      anmSchemeId: r.anmSchemeId,
      entryId: r.entryId,
      deliveryDate: r.deliveryDate,
      direction: r.direction,
      valuesW: r.values.map((v) =>
        v === null ? null : r.unit === "kW" ? kwToW(v) : kwhPerSpToW(v),
      ),
    });
  });
  if (problems.length > 0) throw new MeterReadingsInvalidError(problems);
  return out;
}

/** A deterministic upload id from its receive time and content. */
export function uploadIdOf(receivedAtMs: number, days: ReadonlyArray<MeterDay>): string {
  return deterministicId("upl", receivedAtMs, hash("sha256", JSON.stringify(days), "hex"));
}

/** R-PERF-2: an upload counts for a day if received before its meter deadline or by the operator. */
export function countsForSettlement(
  upload: Pick<MeterUpload, "receivedAtMs" | "byOperator">,
  deliveryDate: string,
  meterDataDeadlineDays: number,
): boolean {
  return (
    upload.byOperator || upload.receivedAtMs < meterDeadlineMs(deliveryDate, meterDataDeadlineDays)
  );
}

/** A counting reading of one SP and the upload it came from. */
export interface CountingReading {
  w: number;
  receivedAtMs: number;
  uploadId: string;
}

/** Readings that count, looked up by entry, day, direction and SP index. */
export interface MeterBook {
  reading(
    entryId: string,
    deliveryDate: string,
    direction: Direction,
    index: number,
  ): CountingReading | undefined;
}

/**
 * R-PERF-2 (§19): per entry, day, direction and SP the latest counting reading among the uploads
 * held at `asOfMs`; a `null` in a later upload leaves the earlier reading in place.
 */
export function meterBookOf(
  uploads: ReadonlyArray<MeterUpload>,
  asOfMs: number,
  meterDataDeadlineDays: number,
): MeterBook {
  const table = new Map<string, (CountingReading | undefined)[]>();
  const inOrder = uploads
    .map((u, i) => ({ u, i }))
    .filter(({ u }) => u.receivedAtMs <= asOfMs)
    .sort((a, b) => a.u.receivedAtMs - b.u.receivedAtMs || a.i - b.i);
  for (const { u } of inOrder)
    for (const d of u.days) {
      if (!countsForSettlement(u, d.deliveryDate, meterDataDeadlineDays)) continue;
      const key = `${d.entryId}\u0000${d.deliveryDate}\u0000${d.direction}`;
      const row = table.get(key) ?? [];
      d.valuesW.forEach((w, i) => {
        if (w !== null) row[i] = { w, receivedAtMs: u.receivedAtMs, uploadId: u.uploadId };
      });
      table.set(key, row);
    }
  return {
    reading: (entryId, deliveryDate, direction, index) =>
      table.get(`${entryId}\u0000${deliveryDate}\u0000${direction}`)?.[index],
  };
}
