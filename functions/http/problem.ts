import { problem as coreProblem, type Problem } from "../core/problem";

/**
 * RFC 9457 problem details, the only error body the API returns (api.md, Conventions). There is
 * ONE Problem type and ONE builder: the core's (`functions/core/problem.ts`); this module only
 * adapts its call shape for the HTTP layer. `code` is the stable SCREAMING_SNAKE string clients
 * and tests key on; the type URI is `urn:bitrader:problem:<code in kebab case>`.
 */
export type { Problem } from "../core/problem";
export { fieldProblems, validationProblem } from "../core/problem";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** The core's builder with named fields. */
export function problem(fields: Omit<Problem, "type">): Problem {
  const { status, code, title, detail, errors } = fields;
  return coreProblem(status, code, title, detail, errors === undefined ? undefined : [...errors]);
}
