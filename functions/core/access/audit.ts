import type { Actor } from "./roles";

/** One state change (reliability.md promise 6): who, what, when. Written once, never updated (D-24). */
export interface AuditEntry {
  /** The id of what changed: a participant id, an asset id, … */
  subject: string;
  /** What happened, `<noun>.<verb>`: `participant.registered`, `asset.qualified`, … */
  action: string;
  actor: Actor;
  /** ISO 8601 UTC with milliseconds. */
  at: string;
  from?: string;
  to?: string;
  reason?: string;
}

export interface AuditRecord extends AuditEntry {
  recordId: string;
}
