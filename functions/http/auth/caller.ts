import type { APIGatewayProxyEvent } from "aws-lambda";
import { isRole, type Role } from "./roles";

/** Who is calling, as the authorizer put it in the request context. */
export interface Caller {
  readonly role: Role;
  readonly principalId: string;
}

/** Thrown when a protected handler runs without an authorizer context: a wiring fault (500). */
export class MissingCallerError extends Error {
  override readonly name = "MissingCallerError";
}

export function callerOf(event: APIGatewayProxyEvent): Caller {
  const authorizer = event.requestContext.authorizer as
    | { role?: unknown; principalId?: unknown }
    | null
    | undefined;
  const role = authorizer?.role;
  const principalId = authorizer?.principalId;
  if (!isRole(role) || typeof principalId !== "string" || principalId === "") {
    throw new MissingCallerError("no authorizer context on a protected route");
  }
  return { role, principalId };
}
