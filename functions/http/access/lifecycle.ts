import { DomainError } from "../../core/errors";
import type { AssetDecision, AssetStatus } from "../schemas/asset";
import type { ParticipantDecision, ParticipantStatus } from "../schemas/participant";

/**
 * The operator's decisions and the status changes they make (docs/decisions.md D-18, D-19).
 * A decision not allowed from the current status is 409 `DECISION_NOT_ALLOWED` and changes
 * nothing.
 */
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

export const ASSET_TRANSITIONS: Readonly<
  Record<AssetDecision, { readonly from: readonly AssetStatus[]; readonly to: AssetStatus }>
> = {
  qualify: { from: ["pending"], to: "qualified" },
  reject: { from: ["pending", "qualified"], to: "rejected" },
};

export function nextParticipantStatus(
  current: ParticipantStatus,
  decision: ParticipantDecision,
): ParticipantStatus {
  const transition = PARTICIPANT_TRANSITIONS[decision];
  if (!transition.from.includes(current)) throw notAllowed("participant", current, decision);
  return transition.to;
}

export function nextAssetStatus(current: AssetStatus, decision: AssetDecision): AssetStatus {
  const transition = ASSET_TRANSITIONS[decision];
  if (!transition.from.includes(current)) throw notAllowed("asset", current, decision);
  return transition.to;
}

function notAllowed(what: string, current: string, decision: string): DomainError {
  return new DomainError(
    "DECISION_NOT_ALLOWED",
    `A ${current} ${what} cannot be given the decision ${decision}.`,
    [{ path: "decision", message: `not allowed while the ${what} is ${current}` }],
  );
}
