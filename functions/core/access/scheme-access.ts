import { NotFoundError } from "../errors";
import type { Caller } from "./roles";

/**
 * D-195: which ANM schemes a caller may act for. An ANM key bound to a scheme acts for that one
 * scheme only; the local stack's bootstrap ANM key (no scheme) and the operator for every
 * scheme. Any other scheme is reported exactly as an unknown one (404), so a key learns nothing
 * about schemes it is not bound to.
 */
export function mayActForScheme(caller: Caller, anmSchemeId: string): boolean {
  if (caller.role === "operator") return true;
  if (caller.role !== "anm") return false;
  return caller.anmSchemeId === undefined || caller.anmSchemeId === anmSchemeId;
}

/** 404 `NOT_FOUND` unless the caller may act for the scheme ({@link mayActForScheme}). */
export function assertSchemeAccess(caller: Caller, anmSchemeId: string, what?: string): void {
  if (!mayActForScheme(caller, anmSchemeId))
    throw new NotFoundError(what ?? `Scheme ${anmSchemeId}`);
}
