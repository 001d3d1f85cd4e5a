import { DateTime, Duration } from "luxon";

/**
 * Times as the console shows them: Europe/London wall-clock time with its UTC offset, so that
 * "12:00 +01:00" in summer and "12:00 +00:00" in winter cannot be confused. Instants come from
 * the API in ISO 8601 (UTC); the platform stores UTC.
 */
export const ZONE = "Europe/London";

function parse(iso: string): DateTime {
  return DateTime.fromISO(iso, { setZone: false }).setZone(ZONE);
}

/** "2 Dec 2026, 12:00 +00:00" */
export function formatInstant(iso: string | undefined): string {
  if (!iso) return "—";
  const time = parse(iso);
  return time.isValid ? time.toFormat("d LLL yyyy, HH:mm ZZ") : iso;
}

/** "12:00:05.123 +00:00" — for execution timelines. */
export function formatPreciseTime(iso: string): string {
  const time = parse(iso);
  return time.isValid ? time.toFormat("HH:mm:ss.SSS ZZ") : iso;
}

/** "12:00–14:00 +00:00" for a window on one day; both ends when the offset or day differ. */
export function formatWindow(startIso: string, endIso: string): string {
  const start = parse(startIso);
  const end = parse(endIso);
  if (!start.isValid || !end.isValid) return `${startIso} – ${endIso}`;
  if (start.offset === end.offset && start.hasSame(end.minus({ milliseconds: 1 }), "day")) {
    return `${start.toFormat("HH:mm")}–${end.toFormat("HH:mm")} ${start.toFormat("ZZ")}`;
  }
  return `${start.toFormat("d LLL HH:mm ZZ")} – ${end.toFormat("d LLL HH:mm ZZ")}`;
}

/** The day-ahead default: tomorrow's date in Europe/London, `YYYY-MM-DD`. */
export function tomorrow(now: DateTime = DateTime.now()): string {
  return now.setZone(ZONE).plus({ days: 1 }).toISODate()!;
}

/** Seconds since the epoch of an instant (uPlot's time scale). */
export function epochSeconds(iso: string): number {
  return DateTime.fromISO(iso).toSeconds();
}

/** "3 h 05 min 09 s" until `iso` from `nowMs`; "passed" once it is in the past. */
export function countdown(iso: string, nowMs: number): { text: string; passed: boolean } {
  const remaining = DateTime.fromISO(iso).toMillis() - nowMs;
  if (remaining <= 0) return { text: "passed", passed: true };
  const parts = Duration.fromMillis(remaining).shiftTo("days", "hours", "minutes", "seconds");
  const seconds = Math.floor(parts.seconds);
  const text =
    parts.days > 0
      ? `${parts.days} d ${parts.hours} h ${pad(parts.minutes)} min`
      : parts.hours > 0
        ? `${parts.hours} h ${pad(parts.minutes)} min ${pad(seconds)} s`
        : `${parts.minutes} min ${pad(seconds)} s`;
  return { text, passed: false };
}

const pad = (value: number) => String(value).padStart(2, "0");

/** A duration in ms as "1.234 s" or "87 ms". */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(3)} s` : `${Math.round(ms)} ms`;
}

/** Milliseconds between two instants. */
export function msBetween(fromIso: string, toIso: string): number {
  return DateTime.fromISO(toIso).toMillis() - DateTime.fromISO(fromIso).toMillis();
}
