import { describe, expect, it } from "vitest";
import { ERROR_STATUS } from "../../../functions/http/error-status";
import { problemFor } from "../../../functions/http/middleware/problem-errors";

class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly errors?: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

describe("the error middleware's mapping", () => {
  it.each([
    ["GATE_CLOSED", 409],
    ["NOT_ELIGIBLE", 422],
    ["VALIDATION_FAILED", 400],
    ["FORBIDDEN", 403],
  ])("maps a %s error to %i with its code and message", (code, status) => {
    const body = problemFor(new DomainError(code, "the gate closed at 12:00"));
    expect(body).toEqual({
      type: `urn:bitrader:problem:${code.toLowerCase().replaceAll("_", "-")}`,
      title: expect.any(String),
      status,
      code,
      detail: "the gate closed at 12:00",
    });
  });

  it("keeps the per-field errors of a validation failure", () => {
    const errors = [{ path: "quantityMw", message: "at most 3 decimals" }];
    expect(problemFor(new DomainError("VALIDATION_FAILED", "bad body", errors)).errors).toEqual(
      errors,
    );
  });

  it.each([
    ["a plain Error", new Error("ECONNRESET at 10.0.0.1 arn:aws:dynamodb:eu-west-2:1234:table/x")],
    ["an unknown code", new DomainError("SOMETHING_NEW", "internal detail")],
    [
      "an SDK-style error",
      Object.assign(new Error("User: arn:aws:iam::1 is not authorized"), {
        code: "AccessDeniedException",
        $metadata: {},
      }),
    ],
    ["a thrown string", "boom"],
    ["null", null],
  ])("hides %s behind a generic 500 INTERNAL_ERROR", (_, error) => {
    const body = problemFor(error);
    expect(body.status).toBe(500);
    expect(body.code).toBe("INTERNAL_ERROR");
    expect(body.detail).toBe("Something went wrong on our side.");
    expect(JSON.stringify(body)).not.toMatch(/arn:|ECONNRESET|internal detail|at .*\.ts/);
  });

  it("never exposes a code the table maps to 500 or more", () => {
    const fiveHundreds = Object.entries(ERROR_STATUS).filter(([, status]) => status >= 500);
    for (const [code] of fiveHundreds) {
      expect(problemFor(new DomainError(code, "secret")).detail).not.toBe("secret");
    }
  });
});
