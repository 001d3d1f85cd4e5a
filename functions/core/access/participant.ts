import { DomainError } from "../errors";

/**
 * Participants (R-AUTH): the records every reader sees, their statuses and the operator's
 * decisions. Statuses change only by {@link nextParticipantStatus} (D-18).
 */
export const PARTICIPANT_STATUSES = ["pending", "approved", "rejected", "suspended"] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

export const PARTICIPANT_DECISIONS = ["approve", "reject", "suspend"] as const;
export type ParticipantDecision = (typeof PARTICIPANT_DECISIONS)[number];

/** The legal entity that registers. */
export interface Organisation {
  legalName: string;
  /** Companies House number. */
  companyNumber: string;
  registeredAddress: string;
  vatNumber?: string;
}

/** Who the operator talks to. */
export interface Contact {
  name: string;
  email: string;
  phone?: string;
}

/** What `POST /registrations` carries. */
export interface ParticipantRegistration {
  organisation: Organisation;
  contact: Contact;
}

/** A participant as every reader sees it: never a secret or a hash. */
export interface Participant extends ParticipantRegistration {
  participantId: string;
  status: ParticipantStatus;
  /** True once the participant's API key was claimed. */
  apiKeyIssued: boolean;
  /** The reason given with the last decision. */
  statusReason?: string;
  /** ISO 8601 UTC with milliseconds. */
  createdAt: string;
  updatedAt: string;
}

/** D-18: which statuses each decision applies to, and the status it gives. */
export const PARTICIPANT_TRANSITIONS: Readonly<
  Record<
    ParticipantDecision,
    { readonly from: readonly ParticipantStatus[]; readonly to: ParticipantStatus }
  >
> = {
  approve: { from: ["pending", "suspended"], to: "approved" },
  reject: { from: ["pending", "suspended"], to: "rejected" },
  suspend: { from: ["approved"], to: "suspended" },
};

/** D-18: the status a decision gives; 409 `DECISION_NOT_ALLOWED` from any other status. */
export function nextParticipantStatus(
  current: ParticipantStatus,
  decision: ParticipantDecision,
): ParticipantStatus {
  const transition = PARTICIPANT_TRANSITIONS[decision];
  if (!transition.from.includes(current))
    throw decisionNotAllowed("participant", current, decision);
  return transition.to;
}

/** The audit action of a participant's status change: approval after suspension reinstates. */
export function participantAction(from: ParticipantStatus, to: ParticipantStatus): string {
  return from === "suspended" && to === "approved" ? "participant.reinstated" : `participant.${to}`;
}

/** A decision the current status does not allow (D-18, D-19); nothing is changed. */
export function decisionNotAllowed(what: string, current: string, decision: string): DomainError {
  return new DomainError(
    "DECISION_NOT_ALLOWED",
    `A ${current} ${what} cannot be given the decision ${decision}.`,
    [{ path: "decision", message: `not allowed while the ${what} is ${current}` }],
  );
}
