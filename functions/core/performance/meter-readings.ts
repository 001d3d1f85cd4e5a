import { hash } from "node:crypto";
import { Readable } from "node:stream";
import { parse as parseCsvStream } from "csv-parse";
import { parse as parseCsv } from "csv-parse/sync";
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

/**
 * The JSON body of `POST /meter-readings` (R-PERF-2) with at most `maxDays` readings (one per
 * entry, day and direction); `null` = no reading for that SP.
 */
export function meterReadingsBodySchema(maxDays: number) {
  return z
    .strictObject({
      readings: z
        .array(
          z
            .strictObject({
              anmSchemeId: clientId.meta({ description: "The ANM scheme." }),
              entryId: clientId.meta({
                description: "An own MOL entry (the operator: any claimed entry).",
              }),
              deliveryDate: calendarDate.meta({
                description: "The delivery day (Europe/London), YYYY-MM-DD.",
                format: "date",
              }),
              direction: z
                .enum(["export", "import"])
                .meta({ description: "export (generation) or import (demand)." }),
              unit: z
                .enum(["kW", "kWh"])
                .meta({ description: "kW (average over the SP) or kWh (energy in the SP)." }),
              values: z.array(readingValue.nullable()).max(50).meta({
                description: "One value per SP of the day (≥ 0, ≤ 3 dp); null = no reading.",
              }),
            })
            .meta({ description: "One entry's day in one direction." }),
        )
        .min(1)
        .max(maxDays)
        .meta({ description: `Readings, 1 to ${maxDays} (one per entry, day and direction).` }),
    })
    .meta({ description: "Meter readings (R-PERF-2)." });
}

/** The body as sent to the API (≤ 1 MiB): at most 1,000 readings. */
export const MeterReadingsBodySchema = meterReadingsBodySchema(1000);

/** A JSON file through a pre-signed upload: at most 100,000 readings (D-223). */
export const UploadedMeterReadingsSchema = meterReadingsBodySchema(100_000);

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
  constructor(errors: ReadonlyArray<FieldProblem>, total = errors.length) {
    super(
      "METER_READINGS_INVALID",
      `The meter readings do not fit their days (R-PERF-2): ${total} problem(s)${total > errors.length ? `, the first ${errors.length} listed` : ""}.`,
      errors,
    );
    this.name = "MeterReadingsInvalidError";
  }
}

/** 400 VALIDATION_FAILED for a CSV upload, with `line <n>.<column>` paths. */
export class MeterCsvInvalidError extends DomainError {
  constructor(errors: ReadonlyArray<FieldProblem>, total = errors.length) {
    super(
      "VALIDATION_FAILED",
      `${total} CSV field(s) are invalid${total > errors.length ? `, the first ${errors.length} listed` : ""}`,
      errors,
    );
    this.name = "MeterCsvInvalidError";
  }
}

/** Field problems reported per upload at most; the detail gives the total (D-221). */
export const MAX_REPORTED_PROBLEMS = 100;

/** The readings of an upload and, for each day, where it is in the upload (`readings.<i>`, `line <n>`). */
export interface ParsedMeterUpload {
  days: MeterDay[];
  /** Per day of `days`: the JSON path of its reading or the CSV line of its first row. */
  paths: string[];
  /** Readings (values that are not null) in the upload. */
  readingCount: number;
}

/** Problems of one kind, at most {@link MAX_REPORTED_PROBLEMS} kept, all counted. */
class Problems {
  readonly list: FieldProblem[] = [];
  count = 0;
  add(path: string, message: string): void {
    this.count += 1;
    if (this.list.length < MAX_REPORTED_PROBLEMS) this.list.push({ path, message });
  }
}

const CSV_COLUMNS = METER_CSV_HEADER.split(",");
const CSV_VALUE = /^\d{1,10}(\.\d{1,3})?$/;

/**
 * R-PERF-2: the rows of a `text/csv` upload, record by record as a CSV parser gives them
 * (csv-parse, D-82), checked and gathered into days. The first record must be exactly
 * {@link METER_CSV_HEADER}; each row names one SP (1…n of its day), `unit` kW (average) or kWh
 * (per SP), `value` ≥ 0 with at most 3 decimals. Field faults are 400 with path
 * `line <n>.<column>`; a repeated (entry, day, SP, direction) or an SP outside its day is 422.
 * Blank lines are skipped. At most {@link MAX_REPORTED_PROBLEMS} problems are listed.
 */
export class MeterCsvReader {
  private readonly days = new Map<string, { day: MeterDay; path: string; lines: number[] }>();
  private readonly fields = new Problems();
  private readonly rules = new Problems();
  private header: "expected" | "ok" | "wrong" = "expected";
  private readings = 0;
  /** SPs of each date seen (0: not a calendar date): the calendar is read once per date. */
  private readonly periods = new Map<string, number>();

  private periodsOf(date: string): number {
    let n = this.periods.get(date);
    if (n === undefined) {
      n = localMidnight(date) !== undefined ? periodCount(date) : 0;
      this.periods.set(date, n);
    }
    return n;
  }

  /** One record (its fields) ending on line `line` (1-based). */
  record(record: ReadonlyArray<string>, line: number): void {
    if (this.header === "wrong") return;
    if (this.header === "expected") {
      const at = CSV_COLUMNS.findIndex((c, i) => record[i] !== c);
      if (at === -1 && record.length === CSV_COLUMNS.length) {
        this.header = "ok";
        return;
      }
      this.header = "wrong";
      const column = CSV_COLUMNS[at === -1 ? CSV_COLUMNS.length - 1 : at]!;
      this.fields.add(
        `line ${line}.${column}`,
        `the header must be exactly ${METER_CSV_HEADER} (column ${at === -1 ? CSV_COLUMNS.length + 1 : at + 1} differs)`,
      );
      return;
    }
    if (record.length === 1 && record[0] === "") return;
    const bad = (column: string, message: string) =>
      this.fields.add(`line ${line}.${column}`, message);
    if (record.length < CSV_COLUMNS.length) {
      bad(
        CSV_COLUMNS[record.length]!,
        `is missing: the line has ${record.length} of ${CSV_COLUMNS.length} fields`,
      );
      return;
    }
    if (record.length > CSV_COLUMNS.length) {
      bad(
        "value",
        `is followed by ${record.length - CSV_COLUMNS.length} more field(s): a line has ${CSV_COLUMNS.length} fields`,
      );
      return;
    }
    const [scheme, entryId, date, spText, direction, unit, valueText] = record as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const before = this.fields.count;
    if (!clientId.safeParse(scheme).success) bad("anmSchemeId", "must be an id");
    if (!clientId.safeParse(entryId).success) bad("entryId", "must be an id");
    if (this.periodsOf(date) === 0) bad("deliveryDate", "must be a calendar date YYYY-MM-DD");
    if (!/^\d{1,2}$/.test(spText)) bad("settlementPeriod", "must be a whole number 1…50");
    if (direction !== "export" && direction !== "import")
      bad("direction", "must be export or import");
    if (unit !== "kW" && unit !== "kWh") bad("unit", "must be kW or kWh");
    const value = CSV_VALUE.test(valueText) ? Number(valueText) : Number.NaN;
    if (!Number.isFinite(value) || value > 1_000_000_000)
      bad("value", "must be a number from 0 to 10⁹ with at most 3 decimals");
    if (this.fields.count > before) return;
    const n = this.periodsOf(date);
    const sp = Number(spText);
    if (sp < 1 || sp > n) {
      this.rules.add(`line ${line}.settlementPeriod`, `must be 1…${n} for ${date} (R-TIME-1)`);
      return;
    }
    const key = `${scheme}\u0000${entryId}\u0000${date}\u0000${direction}`;
    let held = this.days.get(key);
    if (!held) {
      held = {
        day: {
          anmSchemeId: scheme,
          entryId,
          deliveryDate: date,
          direction: direction as Direction,
          valuesW: Array.from({ length: n }, () => null),
        },
        path: `line ${line}`,
        lines: [],
      };
      this.days.set(key, held);
    }
    if (held.day.valuesW[sp - 1] !== null) {
      this.rules.add(
        `line ${line}.settlementPeriod`,
        `a second reading for this entry, day, SP and direction (first on line ${held.lines[sp - 1]})`,
      );
      return;
    }
    held.day.valuesW[sp - 1] = unit === "kW" ? kwToW(value) : kwhPerSpToW(value);
    held.lines[sp - 1] = line;
    this.readings += 1;
  }

  /** A record the CSV parser could not read (an unclosed or stray quote, …). */
  unreadable(line: number, columnIndex: number, message: string): void {
    if (this.header === "wrong") return;
    const column = CSV_COLUMNS[Math.min(Math.max(columnIndex, 0), CSV_COLUMNS.length - 1)]!;
    this.fields.add(`line ${line}.${column}`, message);
  }

  /** The days read; throws the 400 (fields) or else the 422 (rules) problems found. */
  finish(): ParsedMeterUpload {
    if (this.header === "expected")
      this.fields.add(`line 1.${CSV_COLUMNS[0]}`, `the header must be exactly ${METER_CSV_HEADER}`);
    if (this.fields.count > 0) throw new MeterCsvInvalidError(this.fields.list, this.fields.count);
    if (this.rules.count > 0)
      throw new MeterReadingsInvalidError(this.rules.list, this.rules.count);
    const held = [...this.days.values()];
    return {
      days: held.map((h) => h.day),
      paths: held.map((h) => h.path),
      readingCount: this.readings,
    };
  }
}

/** csv-parse's options for meter files (RFC 4180; a leading BOM is dropped, D-220). */
export const METER_CSV_OPTIONS = {
  bom: true,
  relax_column_count: true,
  skip_records_with_error: true,
  info: true,
} as const;

/** A csv-parse error of a record that could not be read, as reader input. */
export function unreadableRecord(reader: MeterCsvReader, error: unknown): void {
  const e = error as { lines?: number; column?: number; message?: string };
  reader.unreadable(
    typeof e.lines === "number" ? e.lines : 1,
    typeof e.column === "number" ? e.column : 0,
    `cannot be read as CSV: ${(e.message ?? "malformed").split(":")[0]!.slice(0, 200)}`,
  );
}

/**
 * R-PERF-2: a `text/csv` upload held as text (≤ 1 MiB, or a scenario's file) → readings, with
 * the same checks as {@link readMeterCsv} (csv-parse's synchronous API).
 */
export function parseMeterCsvUpload(text: string): ParsedMeterUpload {
  const reader = new MeterCsvReader();
  const records = parseCsv(text, {
    ...METER_CSV_OPTIONS,
    on_skip: (error) => {
      unreadableRecord(reader, error);
      return undefined;
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  for (const { record, info } of records) reader.record(record, info.lines);
  return reader.finish();
}

/**
 * R-PERF-2: a `text/csv` upload read as a stream (a file from the upload bucket), record by
 * record through csv-parse's streaming API: the same checks as {@link parseMeterCsvUpload},
 * without holding the file.
 */
export async function readMeterCsv(
  source: AsyncIterable<Uint8Array | string>,
): Promise<ParsedMeterUpload> {
  const reader = new MeterCsvReader();
  const parser = parseCsvStream({
    ...METER_CSV_OPTIONS,
    on_skip: (error) => {
      unreadableRecord(reader, error);
      return undefined;
    },
  });
  const input = Readable.from(source);
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>)
    reader.record(record, info.lines);
  return reader.finish();
}

/** {@link parseMeterCsvUpload}'s days (the offline simulation's form). */
export function parseMeterCsv(text: string): MeterDay[] {
  return parseMeterCsvUpload(text).days;
}

/** R-PERF-2: a JSON upload → readings; one value per SP of each day, no repeated day (422). */
export function meterUploadOfJson(body: MeterReadingsBody): ParsedMeterUpload {
  const problems = new Problems();
  const seen = new Set<string>();
  const days: MeterDay[] = [];
  let readingCount = 0;
  body.readings.forEach((r, i) => {
    const n = periodCount(r.deliveryDate);
    if (r.values.length !== n)
      problems.add(`readings.${i}.values`, `must have exactly ${n} values (R-TIME-1)`);
    const key = `${r.anmSchemeId}\u0000${r.entryId}\u0000${r.deliveryDate}\u0000${r.direction}`;
    if (seen.has(key))
      problems.add(`readings.${i}`, "a second reading for this entry, day and direction");
    seen.add(key);
    readingCount += r.values.filter((v) => v !== null).length;
    days.push({
      anmSchemeId: r.anmSchemeId,
      entryId: r.entryId,
      deliveryDate: r.deliveryDate,
      direction: r.direction,
      valuesW: r.values.map((v) =>
        v === null ? null : r.unit === "kW" ? kwToW(v) : kwhPerSpToW(v),
      ),
    });
  });
  if (problems.count > 0) throw new MeterReadingsInvalidError(problems.list, problems.count);
  return { days, paths: body.readings.map((_, i) => `readings.${i}`), readingCount };
}

/** {@link meterUploadOfJson}'s days (the offline simulation's form). */
export function meterDaysOfJson(body: MeterReadingsBody): MeterDay[] {
  return meterUploadOfJson(body).days;
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
