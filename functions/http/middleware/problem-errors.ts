import type { Logger } from "@aws-lambda-powertools/logger";
import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyResult } from "aws-lambda";
import { transientFault } from "../../runtime/faults";
import { ERROR_STATUS, STATUS_TITLE } from "../error-status";
import { type Problem, problem } from "../problem";
import { problemResponse } from "../responses";

/**
 * The one error middleware: maps a thrown error's stable `code` to its status through
 * ERROR_STATUS and answers problem+json. Errors below 500 are exposed (their message becomes the
 * `detail`); everything else — unknown codes, SDK errors, bugs — is logged and hidden behind a
 * generic 500 `INTERNAL_ERROR`, so no stack trace or AWS error text reaches a client.
 * Contention and throttling that outlived their retries are 503 `TEMPORARILY_UNAVAILABLE` with
 * `Retry-After` and a fixed detail (docs/decisions.md D-32).
 */
export function problemErrors(options: {
  logger: Logger;
}): MiddlewareObj<unknown, APIGatewayProxyResult> {
  return {
    name: "problemErrors",
    onError: async (request) => {
      const body = problemFor(request.error);
      if (body.status === 503) {
        options.logger.warn("request could not be served for now", {
          error: request.error as Error,
        });
        const response = problemResponse(body);
        request.response = {
          ...response,
          headers: { ...response.headers, "retry-after": String(RETRY_AFTER_SECONDS) },
        };
        return;
      }
      if (body.status >= 500) {
        options.logger.error("request failed", { error: request.error as Error });
      } else {
        options.logger.info("request refused", { code: body.code, status: body.status });
      }
      request.response = problemResponse(body);
    },
  };
}

const INTERNAL_ERROR = problem({
  status: 500,
  code: "INTERNAL_ERROR",
  title: "Internal Server Error",
  detail: "Something went wrong on our side.",
});

/** What a 503 asks the client to wait before retrying. */
export const RETRY_AFTER_SECONDS = 1;

const TEMPORARILY_UNAVAILABLE = problem({
  status: 503,
  code: "TEMPORARILY_UNAVAILABLE",
  title: "Service Unavailable",
  detail: `The request met other writes or throttling and was not applied; nothing was changed. Retry after ${RETRY_AFTER_SECONDS} s (with the same Idempotency-Key, if any).`,
});

export function problemFor(error: unknown): Problem {
  if (typeof error !== "object" || error === null) return INTERNAL_ERROR;
  // Transient: contention or throttling after the retries (our error, or the SDK's own).
  if (transientFault(error)) return TEMPORARILY_UNAVAILABLE;
  const { code, message, errors } = error as {
    code?: unknown;
    message?: unknown;
    errors?: unknown;
  };
  const status = typeof code === "string" ? ERROR_STATUS[code] : undefined;
  if (typeof code !== "string" || status === undefined || status >= 500) return INTERNAL_ERROR;
  return problem({
    status,
    code,
    title: STATUS_TITLE[status] ?? "Error",
    detail: typeof message === "string" && message !== "" ? message : code,
    ...(isFieldErrors(errors) ? { errors } : {}),
  });
}

function isFieldErrors(value: unknown): value is Problem["errors"] & object {
  return (
    Array.isArray(value) &&
    value.every(
      (item) =>
        typeof item === "object" &&
        item !== null &&
        typeof item.path === "string" &&
        typeof item.message === "string",
    )
  );
}
