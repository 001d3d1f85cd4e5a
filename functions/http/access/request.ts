import { randomBytes } from "node:crypto";
import type { APIGatewayProxyEvent } from "aws-lambda";
import type { z } from "zod";
import type { Actor } from "../../adapters/audit-log";
import { DomainError } from "../../core/errors";
import { callerOf } from "../auth/caller";

/** The caller as an audit actor: the authorizer's identity, or `anonymous` on public routes. */
export function actorOf(event: APIGatewayProxyEvent): Actor {
  const authorizer = event.requestContext?.authorizer as
    | { principalId?: unknown }
    | null
    | undefined;
  if (typeof authorizer?.principalId !== "string")
    return { role: "anonymous", principalId: "anonymous" };
  const { role, principalId } = callerOf(event);
  return { role, principalId };
}

/** 404 NOT_FOUND: what the caller may not see is reported exactly as a missing object. */
export function notFound(what: string): DomainError {
  return new DomainError("NOT_FOUND", `${what} was not found.`);
}

/** A path parameter that must have the shape of a platform id; any other value is a 404. */
export function pathId(
  event: APIGatewayProxyEvent,
  name: string,
  schema: z.ZodType<string>,
  what: string,
): string {
  const value = event.pathParameters?.[name];
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw notFound(what);
  return parsed.data;
}

/** A new platform id: prefix and 80 random bits as 20 hex digits. */
export function newId(prefix: "par" | "ast"): string {
  return `${prefix}-${randomBytes(10).toString("hex")}`;
}

/** Now, as an ISO 8601 UTC instant. */
export function nowIso(): string {
  return new Date().toISOString();
}
