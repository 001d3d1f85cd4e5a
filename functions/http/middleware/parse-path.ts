import type { APIGatewayProxyEvent } from "aws-lambda";
import type { z } from "zod";
import { NotFoundError } from "../../core/errors";
import { clientId } from "../../core/model/fields";

/**
 * A path parameter that must have the shape of a platform id; any other value is a 404, like any
 * unknown id (D-23), so that a malformed id tells the caller nothing more than a missing one.
 */
export function pathId(
  event: APIGatewayProxyEvent,
  name: string,
  schema: z.ZodType<string>,
  what: string,
): string {
  const parsed = schema.safeParse(event.pathParameters?.[name]);
  if (!parsed.success) throw new NotFoundError(what);
  return parsed.data;
}

/**
 * A path parameter of a client-chosen or derived id (orders, markets, cycles). One that cannot be
 * such an id — over-long (a DynamoDB key holds at most 1 KB, D-143), or with other characters —
 * is a 404 like any unknown id, before anything is read.
 */
export function pathParameter(event: APIGatewayProxyEvent, name: string): string {
  const parsed = clientId.safeParse(event.pathParameters?.[name]);
  if (!parsed.success) throw new NotFoundError(`The ${name.replace(/Id$/, "")}`);
  return parsed.data;
}
