import { TZDateMini } from "@date-fns/tz";
import {
  calendarParts,
  deliveryDay,
  localMidnight,
  londonWallTimeMs,
  MARKET_ZONE,
} from "./settlement-periods";

/**
 * Calendar facts of Europe/London used after gate closure: day types for baselines (R-PERF-5),
 * deadlines (R-PERF-2, R-PERF-3, R-SETTLE-7), months (R-SETTLE-1) and financial years (R-CI-1).
 * Dates are `YYYY-MM-DD` local days; instants epoch milliseconds. Arithmetic on dates alone is
 * the same in every zone and is done on UTC days; what needs Europe/London goes through
 * `@date-fns/tz` (D-153).
 */

/** A real calendar date's parts; throws on anything else (callers pass validated dates). */
function partsOf(date: string): { year: number; month: number; day: number } {
  const parts = calendarParts(date);
  if (parts === undefined) throw new RangeError(`not a calendar date: ${date}`);
  return parts;
}

/** The UTC day of a calendar date, for arithmetic on dates alone. */
function utcDay(date: string): Date {
  const { year, month, day } = partsOf(date);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const isoDateOfUtc = (d: Date) =>
  `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** The local day `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  const d = utcDay(date);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDateOfUtc(d);
}

/** ISO weekday of a local day: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  return utcDay(date).getUTCDay() || 7;
}

/** R-PERF-5: working day = Monday to Friday and not one of the scheme's bank holidays. */
export function isWorkingDay(date: string, bankHolidays: ReadonlySet<string>): boolean {
  return weekdayOf(date) <= 5 && !bankHolidays.has(date);
}

/** R-TIME-1: a clock-change day has 46 or 50 settlement periods. */
export function isClockChangeDay(date: string): boolean {
  return deliveryDay(date).periods.length !== 48;
}

/** The local (Europe/London) calendar date `YYYY-MM-DD` of an instant. */
export function localDateOf(ms: number): string {
  const local = new TZDateMini(ms, MARKET_ZONE);
  return `${pad(local.getFullYear(), 4)}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

/** Local wall-clock start `HH:mm` of an instant. */
export function localTimeOf(ms: number): string {
  const local = new TZDateMini(ms, MARKET_ZONE);
  return `${pad(local.getHours())}:${pad(local.getMinutes())}`;
}

/**
 * 0-based index of the first SP of `date` whose local start time is `hhmm`, or undefined (the
 * hour skipped in spring). On days other than clock-change days the match is unique.
 */
export function spIndexAtLocalTime(date: string, hhmm: string): number | undefined {
  const index = deliveryDay(date).periods.findIndex((p) => localTimeOf(p.startMs) === hhmm);
  return index < 0 ? undefined : index;
}

/** `HH:MM` on the local day `date`, as epoch ms. */
export function localTimeOnDay(date: string, hhmm: string): number {
  const [hour, minute] = hhmm.split(":").map(Number);
  return londonWallTimeMs(partsOf(date), hour ?? 0, minute ?? 0);
}

/** R-SETTLE-1: the calendar month `YYYY-MM` of a delivery day. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** The local days of a month `YYYY-MM`, first to last. */
export function daysOfMonth(month: string): string[] {
  const d = utcDay(`${month}-01`);
  const monthIndex = d.getUTCMonth();
  const out: string[] = [];
  for (; d.getUTCMonth() === monthIndex; d.setUTCDate(d.getUTCDate() + 1))
    out.push(isoDateOfUtc(d));
  return out;
}

/** `YYYY-MM` is a real month. */
export function isMonth(text: string): boolean {
  return /^\d{4}-\d{2}$/.test(text) && localMidnight(`${text}-01`) !== undefined;
}

/**
 * R-PERF-2 / R-SETTLE-7 (§19): the meter deadline of day D is 00:00 local on D + N + 1
 * (N = `meterDataDeadlineDays`, default 5 → D+6).
 */
export function meterDeadlineMs(date: string, meterDataDeadlineDays: number): number {
  return localMidnight(addDays(date, meterDataDeadlineDays + 1))!;
}

/** R-SETTLE-7: a month is settleable once the meter deadline of its last day has passed. */
export function monthSettleableFromMs(month: string, meterDataDeadlineDays: number): number {
  return meterDeadlineMs(daysOfMonth(month).at(-1)!, meterDataDeadlineDays);
}

/** R-CI-1: the financial year (1 April – 31 March) of a day, named `2027-28`. */
export function financialYearOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const start = date.slice(5) >= "04-01" ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

/** First and last day of a financial year `2027-28`; undefined when the name is malformed. */
export function financialYearBounds(name: string): { from: string; to: string } | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(name);
  if (!m) return undefined;
  const start = Number(m[1]);
  if ((start + 1) % 100 !== Number(m[2])) return undefined;
  return { from: `${start}-04-01`, to: `${start + 1}-03-31` };
}
