import type { APIGatewayProxyEvent } from "aws-lambda";
import type { z } from "zod";
import { DomainError } from "../../core/errors";
import { validationProblem } from "../../core/problem";

/**
 * Query-string parameters through a strict zod object schema: unknown parameters and bad values
 * are 400 `VALIDATION_FAILED`, one `errors[]` item per parameter whose path is the parameter's
 * name (an unknown one is `{ path: <name>, message: "unknown parameter" }`, never `body`).
 * A repeated parameter keeps its last value, as API Gateway's `queryStringParameters` does.
 */
export function parseQuery<S extends z.ZodType>(
  event: APIGatewayProxyEvent,
  schema: S,
): z.output<S> {
  const parsed = schema.safeParse({ ...(event.queryStringParameters ?? {}) });
  if (parsed.success) return parsed.data;
  const problem = validationProblem(parsed.error.issues.flatMap(perParameter));
  throw new DomainError("VALIDATION_FAILED", problem.detail, problem.errors ?? []);
}

/** A strict object's one "unrecognized keys" issue (path `[]`) as one issue per parameter. */
function perParameter(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== "unrecognized_keys" || issue.path.length > 0) return [issue];
  return issue.keys.map((key) => ({
    code: "custom",
    path: [key],
    message: "unknown parameter",
    input: undefined,
  }));
}
