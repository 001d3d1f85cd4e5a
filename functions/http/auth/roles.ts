/** The roles a caller can hold (api.md, Conventions). Every key maps to exactly one role. */
export const ROLES = ["operator", "anm", "participant"] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
