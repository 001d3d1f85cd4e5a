import { DateTime } from "luxon";

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

/**
 * Parses `YYYY-MM-DD` as a calendar day in Europe/London; undefined when it is not a real date.
 */
export function localMidnight(deliveryDate: string): DateTime | undefined {
  if (!DATE_RE.test(deliveryDate)) return undefined;
  const day = DateTime.fromISO(deliveryDate, { zone: MARKET_ZONE });
  return day.isValid ? day.startOf("day") : undefined;
}

/**
 * The settlement periods of a delivery day (R-TIME-1): SP 1 starts at local midnight; 48 periods,
 * 46 on the spring clock-change day and 50 on the autumn one. Periods are 30 minutes of real
 * (UTC) time, so the count follows from the length of the local day.
 */
export function deliveryDay(deliveryDate: string): DeliveryDay {
  const start = localMidnight(deliveryDate);
  if (!start) throw new RangeError(`not a calendar date: ${deliveryDate}`);
  const startMs = start.toMillis();
  const endMs = start.plus({ days: 1 }).toMillis();
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
  const dt = DateTime.fromMillis(ms, { zone: "utc" });
  return dt.millisecond === 0
    ? dt.toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'")
    : dt.toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
}

/**
 * Epoch milliseconds → `YYYY-MM-DDTHH:mm:ss.SSSZ`: the fixed-width instant of stored records
 * (`createdAt`, audit `at`), so that string order is time order.
 */
export function recordInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/** Parses an ISO 8601 instant that carries an offset (R-TIME-2); undefined otherwise. */
export function parseInstant(value: string): number | undefined {
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(value)) return undefined;
  const dt = DateTime.fromISO(value, { setZone: true });
  return dt.isValid ? dt.toMillis() : undefined;
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
  const start = localMidnight(deliveryDate);
  if (!start) throw new RangeError(`not a calendar date: ${deliveryDate}`);
  const [hour, minute] = localTime.split(":").map(Number);
  return start
    .minus({ days: daysBefore })
    .set({ hour: hour ?? 12, minute: minute ?? 0, second: 0, millisecond: 0 })
    .toMillis();
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
