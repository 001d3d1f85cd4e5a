import type { APIGatewayProxyEvent } from "aws-lambda";
import type { z } from "zod";
import { validate } from "./parse-body";

/**
 * Query-string parameters through a strict zod object schema: unknown parameters and bad values
 * are 400 `VALIDATION_FAILED`, one `errors[]` item per parameter (paths are the parameter names).
 * A repeated parameter keeps its last value, as API Gateway's `queryStringParameters` does.
 */
export function parseQuery<S extends z.ZodType>(
  event: APIGatewayProxyEvent,
  schema: S,
): z.output<S> {
  return validate({ ...(event.queryStringParameters ?? {}) }, schema);
}
