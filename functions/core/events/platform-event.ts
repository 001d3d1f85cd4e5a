import { hash } from "node:crypto";

/** R-NOTIFY-4 event types. */
export type EventType =
  | "market.opened"
  | "order.cancelled"
  | "trade.confirmed"
  | "trade.cancelled"
  | "merit-order.published"
  | "dispatch.instruction"
  | "statement.issued";

/** The ANM scheme's own endpoint as a recipient (R-NOTIFY-1 §19: one per scheme). */
export const ANM_RECIPIENT = "anm";

/**
 * An outbox event (R-NOTIFY-3): built in the same step as its state change, delivered later.
 * `data` is the JSON of docs/api.md "Delivery and events"; the webhook body is
 * `{ id, type, timestamp, data }`.
 */
export interface PlatformEvent {
  id: string;
  type: EventType;
  /** A participant id, or {@link ANM_RECIPIENT}. */
  recipient: string;
  /** R-NOTIFY-3 §19 subject (receivers keep the highest version per subject). */
  subject: string;
  /** A short readable name of the subject and version, e.g. `C1:v2`, `g4:2027-06:v1`, `T1`. */
  label: string;
  version: number | null;
  /** When the change occurred (R-NOTIFY-5 `timestamp`). */
  timestampMs: number;
  data: Record<string, unknown>;
}

/**
 * R-NOTIFY-3: `evt_` + hash(type, subject, version, recipient): a retried step makes the same id,
 * so the outbox (conditional on the id) never holds an event twice. 80 bits of SHA-256 (D-1).
 */
export function eventIdOf(
  type: EventType,
  subject: string,
  version: number | null,
  recipient: string,
): string {
  const text = `${type}\u001f${subject}\u001f${version ?? ""}\u001f${recipient}\u001f`;
  return `evt_${hash("sha256", text, "hex").slice(0, 20)}`;
}

/** Builds an event with its deterministic id. */
export function platformEvent(fields: Omit<PlatformEvent, "id">): PlatformEvent {
  return {
    id: eventIdOf(fields.type, fields.subject, fields.version, fields.recipient),
    ...fields,
  };
}

/** R-NOTIFY-3 §19 subject of a constraint's merit order: scheme/day/constraint. */
export function meritOrderSubject(
  anmSchemeId: string,
  deliveryDate: string,
  constraintId: string,
): string {
  return `${anmSchemeId}/${deliveryDate}/${constraintId}`;
}
