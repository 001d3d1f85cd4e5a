/**
 * RFC 9457 problem details, the only error body the API returns (api.md, Conventions).
 * `code` is the stable SCREAMING_SNAKE string clients and tests key on.
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors?: ReadonlyArray<{ readonly path: string; readonly message: string }>;
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** A stable type URI per code, e.g. `GATE_CLOSED` → `urn:bitrader:problem:gate-closed`. */
export function problemType(code: string): string {
  return `urn:bitrader:problem:${code.toLowerCase().replaceAll("_", "-")}`;
}

export function problem(fields: Omit<Problem, "type">): Problem {
  return { type: problemType(fields.code), ...fields };
}
