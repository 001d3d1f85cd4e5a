import { DateTime } from "luxon";
import { deliveryDay, localMidnight, MARKET_ZONE } from "./settlement-periods";

/**
 * Calendar facts of Europe/London used after gate closure: day types for baselines (R-PERF-5),
 * deadlines (R-PERF-2, R-PERF-3, R-SETTLE-7), months (R-SETTLE-1) and financial years (R-CI-1).
 * Dates are `YYYY-MM-DD` local days; instants epoch milliseconds.
 */

/** The local day `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  return localMidnight(date)!.plus({ days }).toISODate()!;
}

/** ISO weekday of a local day: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  return localMidnight(date)!.weekday;
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
  return DateTime.fromMillis(ms, { zone: MARKET_ZONE }).toFormat("yyyy-MM-dd");
}

/** Local wall-clock start `HH:mm` of an instant. */
export function localTimeOf(ms: number): string {
  return DateTime.fromMillis(ms, { zone: MARKET_ZONE }).toFormat("HH:mm");
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
  return localMidnight(date)!
    .set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 })
    .toMillis();
}

/** R-SETTLE-1: the calendar month `YYYY-MM` of a delivery day. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** The local days of a month `YYYY-MM`, first to last. */
export function daysOfMonth(month: string): string[] {
  const first = localMidnight(`${month}-01`)!;
  const out: string[] = [];
  for (let d = first; d.month === first.month; d = d.plus({ days: 1 })) out.push(d.toISODate()!);
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
  return localMidnight(addDays(date, meterDataDeadlineDays + 1))!.toMillis();
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
