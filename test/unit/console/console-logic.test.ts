import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../../web/src/api/client";
import { errorsFrom, fieldOf } from "../../../web/src/api/problem-fields";
import { countdown, formatInstant, formatWindow, tomorrow } from "../../../web/src/time";
import { timelineOf } from "../../../web/src/timeline";

/** The console's pure parts: where an API error lands, how times read, the execution timeline. */
describe("an API error's place on a form", () => {
  const fields = ["organisation.legalName", "organisation", "molEntryIds", "quantityMw"];

  it.each([
    ["quantityMw", "quantityMw"],
    ["organisation.legalName", "organisation.legalName"],
    ["organisation.vatNumber", "organisation"],
    ["molEntryIds.3", "molEntryIds"],
    ["body", undefined],
    ["quantity", undefined],
  ])("path %s → field %s", (path, field) => {
    expect(fieldOf(path, fields)).toBe(field);
  });

  it("puts each errors[] item next to its field, and the rest in the summary", () => {
    const error = new ApiError({
      title: "Bad Request",
      status: 400,
      code: "VALIDATION_FAILED",
      errors: [
        { path: "quantityMw", message: "must have at most 3 decimals" },
        { path: "quantityMw", message: "must be > 0" },
        { path: "serviceType", message: "unknown field" },
      ],
    });
    const errors = errorsFrom(error, ["quantityMw", "availabilityPrice"]);
    expect(errors.fields).toEqual({ quantityMw: ["must have at most 3 decimals", "must be > 0"] });
    expect(errors.other).toEqual(["serviceType: unknown field"]);
    expect(errors.problem?.code).toBe("VALIDATION_FAILED");
  });

  it("pins a refusal without a path to the field its code is about", () => {
    const error = new ApiError({
      title: "Unprocessable Content",
      status: 422,
      code: "QUANTITY_EXCEEDS_CAPACITY",
      detail: "would exceed its max quantity of 3 MW",
    });
    expect(
      errorsFrom(error, ["quantityMw"], { QUANTITY_EXCEEDS_CAPACITY: "quantityMw" }).fields,
    ).toEqual({ quantityMw: ["would exceed its max quantity of 3 MW"] });
    expect(errorsFrom(error, ["quantityMw"]).fields).toEqual({});
  });

  it("shows a generic problem, not the error's text, for anything that is not the API's", () => {
    const errors = errorsFrom(new TypeError("x is undefined"), ["quantityMw"]);
    expect(errors.problem?.detail).toBe("The console could not complete the request.");
  });
});

describe("times in Europe/London with the offset", () => {
  it.each([
    ["2027-01-14T12:00:00Z", "14 Jan 2027, 12:00 +00:00"],
    ["2027-06-14T11:00:00Z", "14 Jun 2027, 12:00 +01:00"],
  ])("%s reads %s", (iso, shown) => {
    expect(formatInstant(iso)).toBe(shown);
  });

  it("writes a window within a day once, and across the clock change in full", () => {
    expect(formatWindow("2027-06-14T11:00:00Z", "2027-06-14T13:00:00Z")).toBe("12:00–14:00 +01:00");
    expect(formatWindow("2027-10-31T00:30:00Z", "2027-10-31T01:30:00Z")).toBe(
      "31 Oct 01:30 +01:00 – 31 Oct 01:30 +00:00",
    );
  });

  it("counts down to gate closure and says when it has passed", () => {
    const gate = "2027-06-13T11:00:00Z";
    const at = (iso: string) => Date.parse(iso);
    expect(countdown(gate, at("2027-06-13T10:58:05Z"))).toEqual({
      text: "1 min 55 s",
      passed: false,
    });
    expect(countdown(gate, at("2027-06-13T07:54:59Z"))).toEqual({
      text: "3 h 05 min 01 s",
      passed: false,
    });
    expect(countdown(gate, at("2027-06-11T09:00:00Z"))).toEqual({
      text: "2 d 2 h 00 min",
      passed: false,
    });
    expect(countdown(gate, at(gate))).toEqual({ text: "passed", passed: true });
  });

  it("defaults the delivery day to tomorrow in London, not in UTC", () => {
    // 23:30 UTC on 30 June is 00:30 on 1 July in London: tomorrow is 2 July.
    expect(tomorrow(DateTime.fromISO("2027-06-30T23:30:00Z"))).toBe("2027-07-02");
  });
});

describe("an execution's timeline", () => {
  it("pairs each state's entry with its exit and keeps a failure on the state it ended", () => {
    const steps = timelineOf([
      { type: "ExecutionStarted", at: "2027-06-13T08:00:00.000Z" },
      { type: "TaskStateEntered", state: "IngestLookAhead", at: "2027-06-13T08:00:00.010Z" },
      { type: "TaskStateExited", state: "IngestLookAhead", at: "2027-06-13T08:00:00.200Z" },
      { type: "WaitStateEntered", state: "WaitForGateClosure", at: "2027-06-13T08:00:00.200Z" },
      { type: "WaitStateExited", state: "WaitForGateClosure", at: "2027-06-13T11:00:00.000Z" },
      { type: "TaskStateEntered", state: "Match", at: "2027-06-13T11:00:00.010Z" },
      {
        type: "TaskFailed",
        at: "2027-06-13T11:00:00.300Z",
        error: "ORDER_INDEX_LAG",
        cause: "index behind",
      },
      { type: "TaskStateEntered", state: "Match", at: "2027-06-13T11:00:01.300Z" },
    ]);
    expect(steps).toEqual([
      {
        state: "IngestLookAhead",
        kind: "Task",
        enteredAt: "2027-06-13T08:00:00.010Z",
        exitedAt: "2027-06-13T08:00:00.200Z",
      },
      {
        state: "WaitForGateClosure",
        kind: "Wait",
        enteredAt: "2027-06-13T08:00:00.200Z",
        exitedAt: "2027-06-13T11:00:00.000Z",
      },
      {
        state: "Match",
        kind: "Task",
        enteredAt: "2027-06-13T11:00:00.010Z",
        error: "ORDER_INDEX_LAG",
        cause: "index behind",
      },
      { state: "Match", kind: "Task", enteredAt: "2027-06-13T11:00:01.300Z" },
    ]);
  });
});
