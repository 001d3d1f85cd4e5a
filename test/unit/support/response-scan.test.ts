import { describe, expect, it } from "vitest";
import { leaksIn } from "../../support/response-scan";

describe("the response leak scan used by the API tests", () => {
  it("finds storage attributes as property names at any depth", () => {
    expect(leaksIn(JSON.stringify({ items: [{ pk: "P#1", name: "x" }] }))).toEqual(["table key"]);
    expect(leaksIn(JSON.stringify({ keyHash: "abc" }))).toEqual(["table key"]);
    expect(leaksIn(JSON.stringify({ items: [{ participantId: "p-1" }] }))).toEqual([]);
  });

  it("does not take a caller's own field name, echoed in a message, for a leak", () => {
    // the counterexample CI found: an unknown field named `"sk` is echoed as `unknown field(s): "sk`
    const sent = JSON.stringify({ '"sk': 0 });
    const answer = JSON.stringify({
      code: "VALIDATION_FAILED",
      errors: [{ path: "body", message: 'unknown field(s): "sk' }],
    });
    expect(leaksIn(answer, [], sent)).toEqual([]);
    const named = JSON.stringify({
      errors: [{ message: "unknown field(s): ValidationException" }],
    });
    expect(leaksIn(named, [], JSON.stringify({ ValidationException: 1 }))).toEqual([]);
    expect(leaksIn(named)).toEqual(["AWS error name"]);
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
