import type { APIGatewayProxyEvent } from "aws-lambda";
import { type Actor, ANONYMOUS, type Caller, isRole } from "../../core/access/roles";

/** Thrown when a protected handler runs without an authorizer context: a wiring fault (500). */
export class MissingCallerError extends Error {
  override readonly name = "MissingCallerError";
}

/** Who is calling, as the authorizer put it in the request context (protected routes). */
export function callerOf(event: APIGatewayProxyEvent): Caller {
  const authorizer = event.requestContext.authorizer as
    | { role?: unknown; principalId?: unknown; keyId?: unknown; anmSchemeId?: unknown }
    | null
    | undefined;
  const role = authorizer?.role;
  const principalId = authorizer?.principalId;
  if (!isRole(role) || typeof principalId !== "string" || principalId === "") {
    throw new MissingCallerError("no authorizer context on a protected route");
  }
  const { keyId, anmSchemeId } = authorizer ?? {};
  return {
    role,
    principalId,
    ...(typeof keyId === "string" && keyId !== "" ? { keyId } : {}),
    ...(typeof anmSchemeId === "string" && anmSchemeId !== "" ? { anmSchemeId } : {}),
  };
}

/** The caller as an audit actor: the authorizer's identity, or `anonymous` on public routes. */
export function actorOf(event: APIGatewayProxyEvent): Actor {
  const authorizer = event.requestContext?.authorizer as
    | { principalId?: unknown }
    | null
    | undefined;
  if (typeof authorizer?.principalId !== "string") return ANONYMOUS;
  const { role, principalId, keyId } = callerOf(event);
  return { role, principalId, ...(keyId === undefined ? {} : { keyId }) };
}
