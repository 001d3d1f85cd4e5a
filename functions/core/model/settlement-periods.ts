import { tzOffset } from "@date-fns/tz";
import { parseISO } from "date-fns";

/** The market's time zone (R-TIME-1). */
export const MARKET_ZONE = "Europe/London";

/** Length of one settlement period in milliseconds (30 minutes). */
export const SP_MS = 30 * 60 * 1000;

/** One settlement period of a delivery day: `sp` is 1-based; instants are UTC ISO strings. */
export interface SettlementPeriod {
  sp: number;
  start: string;
  end: string;
  startMs: number;
  endMs: number;
}

/** A delivery day in Europe/London and its settlement periods (R-TIME-1). */
export interface DeliveryDay {
  deliveryDate: string;
  startMs: number;
  endMs: number;
  periods: SettlementPeriod[];
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The year, month (1–12) and day of `YYYY-MM-DD` when it is a real calendar date. */
export function calendarParts(
  deliveryDate: string,
): { year: number; month: number; day: number } | undefined {
  if (!DATE_RE.test(deliveryDate)) return undefined;
  const [year, month, day] = deliveryDate.split("-").map(Number) as [number, number, number];
  // A calendar check that is the same in every zone: the date as a UTC day.
  const probe = new Date(0);
  probe.setUTCFullYear(year, month - 1, day);
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day
    ? { year, month, day }
    : undefined;
}

/** Europe/London's offset from UTC at an instant, in minutes (the tz database of @date-fns/tz). */
function londonOffsetMinutes(ms: number): number {
  return tzOffset(MARKET_ZONE, new Date(ms));
}

/**
 * The instant (epoch ms) of `hour:minute` on a calendar day in Europe/London (D-153), found from
 * the zone's offsets alone, so that the machine's own zone plays no part: first with the offset
 * of the day's midnight, then with the offset at that guess. A wall time the autumn change shows
 * twice is thus its first (summer time) occurrence, and one the spring change skips is read with
 * the offset before the change (01:30 is 02:30 BST), as Luxon did.
 */
export function londonWallTimeMs(
  parts: { year: number; month: number; day: number },
  hour = 0,
  minute = 0,
): number {
  const wall = new Date(0);
  wall.setUTCFullYear(parts.year, parts.month - 1, parts.day);
  const midnightAsUtc = wall.getTime();
  wall.setUTCHours(hour, minute, 0, 0);
  const wallMs = wall.getTime();
  // London never changes its clocks at midnight: the offset an hour before midnight-as-UTC is
  // the day's midnight's.
  const guess = londonOffsetMinutes(midnightAsUtc - MINUTE_MS * 60);
  const first = wallMs - guess * MINUTE_MS;
  const atFirst = londonOffsetMinutes(first);
  if (atFirst === guess) return first;
  const second = wallMs - atFirst * MINUTE_MS;
  const atSecond = londonOffsetMinutes(second);
  return atSecond === atFirst ? second : wallMs - Math.min(atFirst, atSecond) * MINUTE_MS;
}

const MINUTE_MS = 60 * 1000;

/**
 * Local midnight (Europe/London) of `YYYY-MM-DD` as epoch ms; undefined when it is not a real date.
 */
export function localMidnight(deliveryDate: string): number | undefined {
  const parts = calendarParts(deliveryDate);
  return parts === undefined ? undefined : londonWallTimeMs(parts);
}

/**
 * The settlement periods of a delivery day (R-TIME-1): SP 1 starts at local midnight; 48 periods,
 * 46 on the spring clock-change day and 50 on the autumn one. Periods are 30 minutes of real
 * (UTC) time, so the count follows from the length of the local day.
 */
export function deliveryDay(deliveryDate: string): DeliveryDay {
  const parts = calendarParts(deliveryDate);
  if (parts === undefined) throw new RangeError(`not a calendar date: ${deliveryDate}`);
  const startMs = londonWallTimeMs(parts);
  // The next local midnight (the Date arithmetic carries a month's or year's last day over).
  const endMs = londonWallTimeMs({ ...parts, day: parts.day + 1 });
  const count = (endMs - startMs) / SP_MS;
  const periods: SettlementPeriod[] = [];
  for (let i = 0; i < count; i += 1) {
    const s = startMs + i * SP_MS;
    const e = s + SP_MS;
    periods.push({ sp: i + 1, start: toUtcIso(s), end: toUtcIso(e), startMs: s, endMs: e });
  }
  return { deliveryDate, startMs, endMs, periods };
}

/** Number of settlement periods in a delivery day (46, 48 or 50). */
export function periodCount(deliveryDate: string): number {
  return deliveryDay(deliveryDate).periods.length;
}

/** Epoch milliseconds → `YYYY-MM-DDTHH:mm:ssZ` (UTC, whole seconds when possible). */
export function toUtcIso(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? `${iso.slice(0, 19)}Z` : iso;
}

/**
 * Epoch milliseconds → `YYYY-MM-DDTHH:mm:ss.SSSZ`: the fixed-width instant of stored records
 * (`createdAt`, audit `at`), so that string order is time order.
 */
export function recordInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * An ISO 8601 date and time, `T` between them, ending in an offset: the shape {@link parseInstant}
 * takes before date-fns parses it (which alone would also take a space for the `T`).
 */
const INSTANT_RE = /^[+-]?[0-9W-]+T[0-9:.,]*[0-9](Z|[+-]\d{2}:?\d{2})$/;

/** Parses an ISO 8601 instant that carries an offset (R-TIME-2); undefined otherwise. */
export function parseInstant(value: string): number | undefined {
  if (!INSTANT_RE.test(value)) return undefined;
  const ms = parseISO(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * R-GATE-1 default: 12:00 Europe/London on the day before delivery, as epoch milliseconds; a
 * scheme may set another local time and number of days before (its configuration).
 */
export function defaultGateClosureMs(
  deliveryDate: string,
  localTime = "12:00",
  daysBefore = 1,
): number {
  const parts = calendarParts(deliveryDate);
  if (parts === undefined) throw new RangeError(`not a calendar date: ${deliveryDate}`);
  const [hour, minute] = localTime.split(":").map(Number);
  return londonWallTimeMs({ ...parts, day: parts.day - daysBefore }, hour ?? 12, minute ?? 0);
}

/** R-TIME-2: half-open windows [aStart, aEnd) and [bStart, bEnd) overlap. */
export function windowsOverlap(
  aStart: number,
  aEnd: number,
  bStart: number,
  bEnd: number,
): boolean {
  return aStart < bEnd && bStart < aEnd;
}
