import { ApiError } from "./client";
import type { Problem } from "./types";

/**
 * Forms whose errors come from the API: each field is named by its API path
 * (`organisation.legalName`, `quantityMw`), so a problem's `errors[].path` lands next to the
 * field it names. Codes the API reports without a path can be pinned to a field with
 * `fieldForCode`. Anything that names no field on the form is shown in the summary above it.
 * Forms use `noValidate`: the API is the one judge of input, so its messages are the ones shown.
 */
export interface FormErrors {
  /** Field name → messages. */
  readonly fields: Readonly<Record<string, readonly string[]>>;
  /** The refusal itself (title, detail, code), shown in the summary. */
  readonly problem?: Problem | undefined;
  /** Errors that name no field of this form. */
  readonly other: readonly string[];
}

export const NO_ERRORS: FormErrors = { fields: {}, other: [] };

/** The field an error path belongs to: the field itself or its closest enclosing field. */
export function fieldOf(path: string, fieldNames: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const name of fieldNames) {
    if ((path === name || path.startsWith(`${name}.`)) && name.length > (best?.length ?? -1)) {
      best = name;
    }
  }
  return best;
}

export function errorsFrom(
  error: unknown,
  fieldNames: readonly string[],
  fieldForCode: Readonly<Record<string, string>> = {},
): FormErrors {
  if (!(error instanceof ApiError)) {
    return {
      fields: {},
      other: [],
      problem: {
        title: "Something went wrong",
        status: 0,
        code: "CLIENT_ERROR",
        detail: "The console could not complete the request.",
      },
    };
  }
  const { problem } = error;
  const fields: Record<string, string[]> = {};
  const other: string[] = [];
  for (const item of problem.errors ?? []) {
    const field = fieldOf(item.path, fieldNames);
    if (field) fields[field] = [...(fields[field] ?? []), item.message];
    else other.push(`${item.path}: ${item.message}`);
  }
  const codeField = fieldForCode[problem.code];
  if (codeField && fieldNames.includes(codeField) && !fields[codeField]) {
    fields[codeField] = [problem.detail ?? problem.title];
  }
  return { fields, other, problem };
}
