import { hash } from "node:crypto";
import * as z from "zod";
import { ConflictError, DomainError, type FieldProblem } from "../errors";
import { calendarDate, clientId, mwNumber } from "../model/fields";
import { mwToW } from "../model/watts";
import type { PostTradeDay } from "../verification/day";
import type { Membership } from "../verification/membership";
import { unitsInForce } from "./units-in-force";

/** The body of `POST /anm/actuals` (R-PERF-1); shape errors are 400. */
export const ActualsBodySchema = z
  .strictObject({
    actualsId: clientId.meta({
      description: "The post's id, its idempotency key within the scheme (R-PERF-1).",
    }),
    anmSchemeId: clientId.meta({ description: "The ANM scheme." }),
    deliveryDate: calendarDate.meta({
      description: "The delivery day (Europe/London), YYYY-MM-DD; accepted once it has ended.",
      format: "date",
    }),
    constraints: z
      .array(
        z
          .strictObject({
            constraintId: clientId.meta({ description: "A constraint of the day's look-ahead." }),
            requiredCurtailmentMw: z.array(mwNumber).meta({
              description: "Actual required curtailment, MW (≤ 3 dp), one value per SP.",
            }),
            appliedCurtailment: z
              .array(
                z
                  .strictObject({
                    unitId: z.string().min(1).max(300).meta({
                      description:
                        "A published unit: an entry, `<parent>/<tradeId>` or `<parent>/rem`.",
                    }),
                    curtailmentMw: z.array(mwNumber).meta({
                      description:
                        "Curtailment applied to the unit, MW (≤ 3 dp), one per SP; 0 where not in force.",
                    }),
                  })
                  .meta({ description: "Curtailment the ANM applied to one unit." }),
              )
              .max(10_000)
              .optional()
              .meta({ description: "Optional; unlisted units count 0." }),
          })
          .meta({ description: "One constraint's actuals; replaces the item held before." }),
      )
      .max(1000)
      .meta({ description: "Per constraint." }),
    availablePower: z
      .array(
        z
          .strictObject({
            entryId: clientId.meta({ description: "A MOL entry of the day." }),
            availableMw: z.array(mwNumber).meta({
              description: "Power the entry could have exported, MW (≤ 3 dp), one per SP.",
            }),
          })
          .meta({ description: "One entry's available power; replaces the item held before." }),
      )
      .max(20_000)
      .optional()
      .meta({ description: "Optional: per entry." }),
  })
  .meta({ description: "What the ANM system saw on the day (R-PERF-1)." });

export type ActualsBody = z.infer<typeof ActualsBodySchema>;

/** One accepted `POST /anm/actuals`, in watts (R-UNIT-3). */
export interface ActualsRecord {
  actualsId: string;
  receivedAtMs: number;
  bodyHash: string;
  constraints: {
    constraintId: string;
    requiredW: number[];
    /** Per unit id, W per SP; undefined when the ANM gave no per-unit values. */
    appliedW: Map<string, number[]> | undefined;
  }[];
  available: { entryId: string; availableW: number[] }[];
}

/**
 * R-PERF-1 as held at some instant: per constraint and per entry, the latest item received
 * (each item replaces the one before).
 */
export interface HeldActuals {
  /** True when any actuals were received for the day (R-CI-3 `estimatedDays` otherwise). */
  any: boolean;
  constraints: Map<string, { requiredW: number[]; appliedW: Map<string, number[]> | undefined }>;
  availableW: Map<string, number[]>;
}

/** R-PERF-1 faults that depend on the day (422 ACTUALS_INVALID). */
export class ActualsInvalidError extends DomainError {
  constructor(errors: ReadonlyArray<FieldProblem>) {
    super("ACTUALS_INVALID", "The actuals do not fit the day (R-PERF-1).", errors);
    this.name = "ActualsInvalidError";
  }
}

/**
 * R-PERF-1: checks a well-shaped actuals body against the day — scheme and day of the
 * look-ahead, accepted only once the day has ended (409 DELIVERY_DAY_NOT_ENDED), one value per SP,
 * no negatives, known constraints (a constraint created by a topology change is known), entries
 * and units, and 0 for a unit in an SP where it is not in force — and converts it to watts.
 */
export function acceptActuals(
  body: ActualsBody,
  day: PostTradeDay,
  membership: Membership,
  receivedAtMs: number,
): ActualsRecord {
  if (receivedAtMs < day.lookAhead.day.endMs)
    throw new ConflictError(
      "DELIVERY_DAY_NOT_ENDED",
      `Actuals for ${body.deliveryDate} are accepted once the day has ended (R-PERF-1).`,
    );
  const problems: FieldProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (
    body.anmSchemeId !== day.lookAhead.anmSchemeId ||
    body.deliveryDate !== day.lookAhead.deliveryDate
  )
    throw new ActualsInvalidError([
      { path: "deliveryDate", message: "no look-ahead for this scheme and day" },
    ]);
  const n = day.lookAhead.day.periods.length;
  const checkSeries = (values: number[], path: string) => {
    if (values.length !== n) add(path, `must have exactly ${n} values (R-TIME-1)`);
    values.forEach((v, i) => {
      if (v < 0) add(`${path}.${i}`, "must be ≥ 0");
    });
  };
  const entries = new Set<string>();
  for (const k of membership.constraintIds)
    for (let i = 0; i < n; i += 1)
      for (const e of membership.at(k, i)?.mol.entries ?? []) entries.add(e.entryId);
  body.constraints.forEach((c, ci) => {
    const at = `constraints.${ci}`;
    if (!membership.constraintIds.includes(c.constraintId)) {
      add(`${at}.constraintId`, `unknown constraint ${c.constraintId}`);
      return;
    }
    checkSeries(c.requiredCurtailmentMw, `${at}.requiredCurtailmentMw`);
    const units = Array.from(
      { length: n },
      (_, i) => new Set(unitsInForce(day, membership, c.constraintId, i).map((u) => u.unitId)),
    );
    const everUnit = new Set(units.flatMap((s) => [...s]));
    const seen = new Set<string>();
    (c.appliedCurtailment ?? []).forEach((u, ui) => {
      const up = `${at}.appliedCurtailment.${ui}`;
      if (seen.has(u.unitId)) add(`${up}.unitId`, `unit ${u.unitId} is listed twice`);
      seen.add(u.unitId);
      if (!everUnit.has(u.unitId)) {
        add(`${up}.unitId`, `unknown unit ${u.unitId} for constraint ${c.constraintId}`);
        return;
      }
      checkSeries(u.curtailmentMw, `${up}.curtailmentMw`);
      u.curtailmentMw.forEach((v, i) => {
        if (v > 0 && !units[i]?.has(u.unitId))
          add(
            `${up}.curtailmentMw.${i}`,
            `unit ${u.unitId} is not in force in SP ${i + 1}: must be 0`,
          );
      });
    });
  });
  (body.availablePower ?? []).forEach((a, ai) => {
    if (!entries.has(a.entryId)) add(`availablePower.${ai}.entryId`, `unknown entry ${a.entryId}`);
    else checkSeries(a.availableMw, `availablePower.${ai}.availableMw`);
  });
  if (problems.length > 0) throw new ActualsInvalidError(problems);
  return {
    actualsId: body.actualsId,
    receivedAtMs,
    bodyHash: actualsBodyHash(body),
    constraints: body.constraints.map((c) => ({
      constraintId: c.constraintId,
      requiredW: c.requiredCurtailmentMw.map(mwToW),
      appliedW: c.appliedCurtailment
        ? new Map(c.appliedCurtailment.map((u) => [u.unitId, u.curtailmentMw.map(mwToW)]))
        : undefined,
    })),
    available: (body.availablePower ?? []).map((a) => ({
      entryId: a.entryId,
      availableW: a.availableMw.map(mwToW),
    })),
  };
}

/** The hash R-PERF-1 compares a repeated `actualsId`'s body by. */
export function actualsBodyHash(body: ActualsBody): string {
  return hash("sha256", JSON.stringify(body), "hex");
}

/** R-PERF-1: `actualsId` is the idempotency key; another body under it is a conflict. */
export function assertActualsNew(
  held: ReadonlyArray<ActualsRecord>,
  record: Pick<ActualsRecord, "actualsId" | "bodyHash">,
): "new" | "replay" {
  const same = held.find((h) => h.actualsId === record.actualsId);
  if (!same) return "new";
  if (same.bodyHash !== record.bodyHash)
    throw new ConflictError(
      "ACTUALS_CONFLICT",
      `Actuals ${record.actualsId} were already received with another body.`,
    );
  return "replay";
}

/** R-PERF-1: what is held at `asOfMs`: each constraint and entry item from the latest post. */
export function heldActuals(records: ReadonlyArray<ActualsRecord>, asOfMs: number): HeldActuals {
  const held: HeldActuals = { any: false, constraints: new Map(), availableW: new Map() };
  const inOrder = records
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.receivedAtMs <= asOfMs)
    .sort((a, b) => a.r.receivedAtMs - b.r.receivedAtMs || a.i - b.i);
  for (const { r } of inOrder) {
    held.any = true;
    for (const c of r.constraints)
      held.constraints.set(c.constraintId, { requiredW: c.requiredW, appliedW: c.appliedW });
    for (const a of r.available) held.availableW.set(a.entryId, a.availableW);
  }
  return held;
}
