import { describe, expect, it } from "vitest";
import { LookAheadInvalidError } from "../../../functions/core/errors";
import {
  checkGateClosureNotPast,
  isRuleIssue,
  type LookAheadBody,
  LookAheadSchema,
  toLookAhead,
} from "../../../functions/core/model/look-ahead";
import { lookAheadBody } from "../../support/look-ahead-builder";

const valid = () =>
  lookAheadBody("2027-06-14", [
    {
      constraintId: "C1",
      required: { 25: 4, 26: 7 },
      mol: [
        { entryId: "G4-A", capacityMw: 5, forecastMw: 4.5 },
        { entryId: "G1-A", capacityMw: 10, forecastMw: 8 },
      ],
    },
  ]);

function outcome(body: unknown) {
  const r = LookAheadSchema.safeParse(body);
  if (r.success) return { status: 202, paths: [] as string[] };
  const rule = r.error.issues.every(isRuleIssue);
  return { status: rule ? 422 : 400, paths: r.error.issues.map((i) => i.path.join(".")) };
}

type Mutation = (b: LookAheadBody) => void;

describe("R-IN-1 look-ahead validation", () => {
  it("accepts a valid look-ahead and converts it to integer kW", () => {
    expect(outcome(valid())).toEqual({ status: 202, paths: [] });
    const la = toLookAhead(LookAheadSchema.parse(valid()));
    expect(la.constraints[0]!.requiredKw[25]).toBe(7000);
    expect(la.mols.get("C1")!.entries[0]!.forecastKw[0]).toBe(4500);
    expect(la.gateClosureMs).toBe(Date.parse("2027-06-13T11:00:00Z"));
  });

  it("defaults forecast to capacity and tradable to true", () => {
    const body = valid();
    delete body.mols[0]!.entries[1]!.forecastMw;
    const entry = toLookAhead(LookAheadSchema.parse(body)).mols.get("C1")!.entries[1]!;
    expect(entry.forecastKw.every((f) => f === 10_000)).toBe(true);
    expect(entry.tradable).toBe(true);
  });

  it.each<[string, Mutation, string]>([
    [
      "a CLA array of the wrong length",
      (b) => b.constraints[0]!.requiredCurtailmentMw.pop(),
      "constraints.0.requiredCurtailmentMw",
    ],
    [
      "a forecast array of the wrong length",
      (b) => b.mols[0]!.entries[0]!.forecastMw!.push(1),
      "mols.0.entries.0.forecastMw",
    ],
    [
      "a negative required curtailment",
      (b) => {
        b.constraints[0]!.requiredCurtailmentMw[3] = -1;
      },
      "constraints.0.requiredCurtailmentMw.3",
    ],
    [
      "a negative forecast",
      (b) => {
        b.mols[0]!.entries[1]!.forecastMw![7] = -0.5;
      },
      "mols.0.entries.1.forecastMw.7",
    ],
    [
      "a negative capacity",
      (b) => {
        b.mols[0]!.entries[1]!.capacityMw = -3;
      },
      "mols.0.entries.1.capacityMw",
    ],
    [
      "duplicate entry ids in a MOL",
      (b) => {
        b.mols[0]!.entries[1]!.entryId = "G4-A";
      },
      "mols.0.entries.1.entryId",
    ],
    [
      "a duplicate curtailmentOrder",
      (b) => {
        b.mols[0]!.entries[1]!.curtailmentOrder = 1;
      },
      "mols.0.entries.1.curtailmentOrder",
    ],
    [
      "a gapped curtailmentOrder",
      (b) => {
        b.mols[0]!.entries[1]!.curtailmentOrder = 3;
      },
      "mols.0.entries",
    ],
    [
      "a MOL for an unknown constraint",
      (b) => {
        b.mols[0]!.constraintId = "C9";
      },
      "mols.0.constraintId",
    ],
    [
      "a gate closure at the start of the delivery day",
      (b) => {
        b.gateClosureAt = "2027-06-14T00:00:00+01:00";
      },
      "gateClosureAt",
    ],
    [
      "a gate closure after the start of the delivery day",
      (b) => {
        b.gateClosureAt = "2027-06-14T09:00:00Z";
      },
      "gateClosureAt",
    ],
    [
      "a forecast above capacity (D-3)",
      (b) => {
        b.mols[0]!.entries[0]!.forecastMw![0] = 5.5;
      },
      "mols.0.entries.0.forecastMw.0",
    ],
    [
      "two MOLs for one constraint",
      (b) => {
        b.mols.push(structuredClone(b.mols[0]!));
      },
      "mols.1.constraintId",
    ],
    [
      "a duplicate constraint id",
      (b) => {
        b.constraints.push(structuredClone(b.constraints[0]!));
      },
      "constraints.1.constraintId",
    ],
  ])("rejects %s with 422 naming the field", (_name, mutate, path) => {
    const body = valid();
    mutate(body);
    const r = outcome(body);
    expect(r.status).toBe(422);
    expect(r.paths).toContain(path);
  });

  it.each<[string, Mutation, string]>([
    [
      "an unknown field",
      (b) => {
        (b as Record<string, unknown>).extra = 1;
      },
      "",
    ],
    [
      "a string where a number belongs",
      (b) => {
        (b.mols[0]!.entries[0] as Record<string, unknown>).capacityMw = "5";
      },
      "mols.0.entries.0.capacityMw",
    ],
    [
      "more than 3 decimals of MW",
      (b) => {
        b.constraints[0]!.requiredCurtailmentMw[0] = 0.0001;
      },
      "constraints.0.requiredCurtailmentMw.0",
    ],
    [
      "an instant without offset",
      (b) => {
        b.issuedAt = "2027-06-13T08:00:00";
      },
      "issuedAt",
    ],
    [
      "an impossible delivery date",
      (b) => {
        b.deliveryDate = "2027-02-30";
      },
      "deliveryDate",
    ],
    [
      "a missing lookAheadId",
      (b) => {
        delete (b as Partial<LookAheadBody>).lookAheadId;
      },
      "lookAheadId",
    ],
  ])("rejects %s as a shape error (400)", (_name, mutate, path) => {
    const body = valid();
    mutate(body);
    const r = outcome(body);
    expect(r.status).toBe(400);
    expect(r.paths).toContain(path);
  });

  it("reports every violation at once, not just the first", () => {
    const body = valid();
    body.constraints[0]!.requiredCurtailmentMw[1] = -1;
    body.mols[0]!.entries[1]!.entryId = "G4-A";
    expect(outcome(body).paths).toHaveLength(2);
  });

  it("refuses a gate closure in the past against the injected clock, and not before it", () => {
    const body = LookAheadSchema.parse({ ...valid(), gateClosureAt: "2027-06-13T12:00:00+01:00" });
    const gate = Date.parse("2027-06-13T11:00:00Z");
    expect(() => checkGateClosureNotPast(body, gate - 1)).not.toThrow();
    expect(() => checkGateClosureNotPast(body, gate)).toThrow(LookAheadInvalidError);
    expect(() => checkGateClosureNotPast(body, gate + 1)).toThrow(LookAheadInvalidError);
  });
});
