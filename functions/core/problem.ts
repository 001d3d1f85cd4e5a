import type { z } from "zod";
import { DomainError, type FieldProblem } from "./errors";

/**
 * An RFC 9457 problem document, the one error shape of the platform (api.md "Conventions").
 * Built only from codes and messages the core chose: never from stack traces or foreign errors.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: FieldProblem[];
}

/** Field path of a zod issue as `a.0.b`; the body itself is `body`. */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? "body" : path.map((p) => String(p)).join(".");
}

/** One {@link FieldProblem} per zod issue, in input order, without duplicates. */
export function fieldProblems(issues: ReadonlyArray<z.core.$ZodIssue>): FieldProblem[] {
  const seen = new Set<string>();
  const out: FieldProblem[] = [];
  for (const issue of issues) {
    const item = { path: issuePath(issue.path), message: issueMessage(issue) };
    const key = `${item.path}\u0000${item.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(item);
    }
  }
  return out;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown field(s): ${issue.keys.join(", ")}`;
  if (issue.code === "invalid_type") return `expected ${issue.expected}`;
  return issue.message;
}

/** Builds a problem document with a stable code. */
export function problem(
  status: number,
  code: string,
  title: string,
  detail: string,
  errors?: FieldProblem[],
): Problem {
  const type = `urn:bitrader:problem:${code.toLowerCase().replaceAll("_", "-")}`;
  return errors && errors.length > 0
    ? { type, title, status, code, detail, errors }
    : { type, title, status, code, detail };
}

/** 400 VALIDATION_FAILED from zod issues: one `errors[]` item per violated field. */
export function validationProblem(issues: ReadonlyArray<z.core.$ZodIssue>): Problem {
  const errors = fieldProblems(issues);
  return problem(
    400,
    "VALIDATION_FAILED",
    "The request does not match the schema",
    `${errors.length} field(s) are invalid: ${errors
      .slice(0, 5)
      .map((e) => e.path)
      .join(", ")}${errors.length > 5 ? ", …" : ""}`,
    errors,
  );
}

/** A problem for a domain error, with the status the caller chose for its code. */
export function domainProblem(error: DomainError, status: number): Problem {
  return problem(status, error.code, titleOf(error.code), error.message, [...error.errors]);
}

function titleOf(code: string): string {
  const words = code.toLowerCase().split("_").join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export { DomainError };
