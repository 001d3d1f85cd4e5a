/** The roles a caller can hold (api.md, Conventions). Every key maps to exactly one role. */
export const ROLES = ["operator", "anm", "participant"] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Who is calling, as the authorizer established it from the presented key. */
export interface Caller {
  role: Role;
  /**
   * The participant id; `operator` for operator keys; `anm` for the local stack's bootstrap ANM
   * key, `anm:<anmSchemeId>` for an ANM key bound to a scheme (D-195).
   */
  principalId: string;
  /** The presented key's id (never the key): who acted, for the audit log (D-196). */
  keyId?: string;
  /** ANM keys bound to a scheme: the one scheme they may act for (D-195). */
  anmSchemeId?: string;
}

/**
 * The roles an audit record can name: a key's role, `anonymous` on public routes, or `system`
 * for a workflow step or consumer (its principal `system:<step>`).
 */
export const ACTOR_ROLES = [...ROLES, "anonymous", "system"] as const;

/** Who did something, as the audit log records it. */
export interface Actor {
  role: (typeof ACTOR_ROLES)[number];
  principalId: string;
  /** The key that acted (D-196); absent for anonymous actors and records from before keys had ids. */
  keyId?: string;
}

/** The actor of a request without a key (registration, key claim). */
export const ANONYMOUS: Actor = { role: "anonymous", principalId: "anonymous" };

/** The actor of a workflow step or consumer: `system:<step>` (D-141). */
export function systemActor(step: string): Actor {
  return { role: "system", principalId: `system:${step}` };
}
