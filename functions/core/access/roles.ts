/** The roles a caller can hold (api.md, Conventions). Every key maps to exactly one role. */
export const ROLES = ["operator", "anm", "participant"] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Who is calling, as the authorizer established it from the presented key. */
export interface Caller {
  role: Role;
  /** The participant id, or the role name for operator and ANM keys. */
  principalId: string;
}

/**
 * The roles an audit record can name: a key's role, `anonymous` on public routes, or `system`
 * for the platform's own changes (its principal names the part that made it).
 */
export const ACTOR_ROLES = [...ROLES, "anonymous", "system"] as const;

/** Who did something, as the audit log records it. */
export interface Actor {
  role: (typeof ACTOR_ROLES)[number];
  principalId: string;
}

/** The actor of a request without a key (registration, key claim). */
export const ANONYMOUS: Actor = { role: "anonymous", principalId: "anonymous" };
