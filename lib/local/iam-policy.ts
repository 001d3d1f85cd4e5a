import type { PolicyDocument, Statement } from "aws-lambda";

/**
 * Evaluates an authorizer's policy for one method ARN the way API Gateway does: an explicit
 * Deny wins, otherwise a matching Allow is needed. IAM wildcards: `*` any run of characters
 * (slashes included), `?` one character.
 */
export function policyAllows(policy: PolicyDocument, methodArn: string): boolean {
  let allowed = false;
  for (const statement of policy.Statement) {
    if (!matchesAction(statement) || !matchesResource(statement, methodArn)) continue;
    if (statement.Effect === "Deny") return false;
    if (statement.Effect === "Allow") allowed = true;
  }
  return allowed;
}

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function matchesAction(statement: Statement): boolean {
  const actions = list((statement as { Action?: unknown }).Action);
  return actions.some((action) => glob(action.toLowerCase(), "execute-api:invoke"));
}

function matchesResource(statement: Statement, methodArn: string): boolean {
  return list((statement as { Resource?: unknown }).Resource).some((resource) =>
    glob(resource, methodArn),
  );
}

function glob(pattern: string, value: string): boolean {
  const source = pattern
    .split("")
    .map((char) =>
      char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${source}$`).test(value);
}
