import { describe, expect, it } from "vitest";
import { leaksIn } from "../../support/response-scan";

const problem = (message: string, detail = "The request body is not valid.") =>
  JSON.stringify({ code: "VALIDATION_FAILED", detail, errors: [{ path: "body", message }] });

describe("the response leak scan used by the API tests", () => {
  it("finds storage attributes as property names at any depth, and as values", () => {
    expect(leaksIn(JSON.stringify({ items: [{ pk: "x", name: "x" }] }))).toEqual(["table key"]);
    expect(leaksIn(JSON.stringify({ keyHash: "abc" }))).toEqual(["table key"]);
    expect(leaksIn(JSON.stringify({ errors: [{ path: "gsi1pk" }] }))).toEqual(["table key"]);
    expect(leaksIn(JSON.stringify({ detail: "not PARTICIPANT#par-1" }))).toEqual(["table key"]);
    expect(leaksIn(JSON.stringify({ items: [{ participantId: "par-1" }] }))).toEqual([]);
  });

  it("scans an answer that is not JSON as raw text", () => {
    expect(leaksIn('{"pk":"x"')).toEqual(["table key"]);
    expect(leaksIn('<html>"sk"</html>')).toEqual(["table key"]);
    expect(leaksIn("Error: boom\n    at handler (/work/main/x.ts:1:2)")).toEqual([
      "stack trace",
      "file path",
    ]);
  });

  it("does not take a caller's own field name, echoed in a message, for a leak", () => {
    // the counterexample CI found: an unknown field named `"sk` echoed as `unknown field(s): "sk`
    expect(leaksIn(problem('unknown field(s): "sk'), [], JSON.stringify({ '"sk': 0 }))).toEqual([]);
    const echoed = problem("unknown field(s): ValidationException");
    expect(leaksIn(echoed, [], JSON.stringify({ ValidationException: 1 }))).toEqual([]);
    expect(leaksIn(echoed)).toEqual(["AWS error name"]);
    expect(leaksIn(problem("unknown field(s): pk"), [], JSON.stringify({ pk: 1 }))).toEqual([]);
  });

  it("excuses only the echoed occurrence, never the same text elsewhere", () => {
    const both = problem(
      "unknown field(s): ValidationException",
      "ValidationException: One or more parameter values were invalid",
    );
    expect(leaksIn(both, [], JSON.stringify({ ValidationException: 1 }))).toEqual([
      "AWS error name",
    ]);
    // a sent word does not excuse a longer AWS name around it
    expect(
      leaksIn(
        JSON.stringify({ detail: "IdempotentParameterMismatchException: boom" }),
        [],
        JSON.stringify({ reason: "Exception" }),
      ),
    ).toEqual(["AWS error name"]);
    // nor does a sent fragment excuse a whole ARN
    expect(
      leaksIn(
        JSON.stringify({ detail: "arn:aws:dynamodb:eu-west-2:1:table/t" }),
        [],
        JSON.stringify({ note: "aws" }),
      ),
    ).toEqual(["AWS ARN"]);
  });

  it("still finds what the caller did not send", () => {
    const answer = JSON.stringify({
      detail: "at handler (/work/main/functions/x.ts:12:3) ConditionalCheckFailedException",
    });
    expect(leaksIn(answer, [], JSON.stringify({ name: "x" }))).toEqual([
      "stack trace",
      "file path",
      "AWS error name",
    ]);
    const hash = "a".repeat(64);
    expect(leaksIn(JSON.stringify({ detail: hash }), [hash])).toEqual([
      "SHA-256 hex",
      "stored hash",
    ]);
    expect(leaksIn(JSON.stringify({ detail: "arn:aws:dynamodb:eu-west-2:1:table/t" }))).toEqual([
      "AWS ARN",
    ]);
  });
});
