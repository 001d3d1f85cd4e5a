import * as z from "zod";
import type { PostTradeConfig } from "../config/post-trade-config";
import { ConflictError, DomainError, type FieldProblem, NotFoundError } from "../errors";
import { addDays, localTimeOnDay } from "../model/calendar";
import { calendarDate, clientId, mwNumber } from "../model/fields";
import type { LookAhead } from "../model/look-ahead";
import { mwToKw } from "../model/units";
import { mwToW } from "../model/watts";

/** The body of `PUT /baselines` (R-PERF-3): the day's nomination, one value per SP. */
export const NominationBodySchema = z
  .strictObject({
    anmSchemeId: clientId.meta({ description: "The ANM scheme." }),
    entryId: clientId.meta({ description: "An own MOL entry of the day's look-ahead." }),
    deliveryDate: calendarDate.meta({
      description: "The delivery day (Europe/London), YYYY-MM-DD.",
      format: "date",
    }),
    nominatedMw: z.array(mwNumber).max(50).meta({
      description: "Nominated output, MW (≤ 3 dp, within the entry's capacity), one per SP.",
    }),
  })
  .meta({ description: "A day's nomination (R-PERF-3); replaces the earlier one." });

export type NominationBody = z.infer<typeof NominationBodySchema>;

/** An accepted nomination (R-PERF-3), integer watts per SP (R-UNIT-3). */
export interface Nomination {
  anmSchemeId: string;
  entryId: string;
  deliveryDate: string;
  nominatedW: number[];
  receivedAtMs: number;
  /** 1 for the first nomination of the entry's day, then +1 per replacement. */
  version: number;
}

/**
 * R-PERF-3 (§19): the nomination deadline is the day's gate closure as its cycle holds it, or
 * the scheme's `baselineDeadline` (`HH:MM` local on D-1) when set.
 */
export function baselineDeadlineMs(
  lookAhead: Pick<LookAhead, "deliveryDate" | "gateClosureMs">,
  config: Pick<PostTradeConfig, "baselineDeadline">,
): number {
  return config.baselineDeadline === null
    ? lookAhead.gateClosureMs
    : localTimeOnDay(addDays(lookAhead.deliveryDate, -1), config.baselineDeadline);
}

/**
 * R-PERF-3: accepts a nomination received before the deadline (later: 409
 * BASELINE_DEADLINE_PASSED) for an entry of the day's MOL (else 404), one value per SP, none
 * negative or above the entry's capacity (422 BASELINE_INVALID). It replaces the entry's earlier
 * nomination of the day.
 */
export function acceptNomination(
  body: NominationBody,
  lookAhead: LookAhead,
  held: ReadonlyArray<Nomination>,
  receivedAtMs: number,
  config: Pick<PostTradeConfig, "baselineDeadline">,
): Nomination {
  if (body.anmSchemeId !== lookAhead.anmSchemeId || body.deliveryDate !== lookAhead.deliveryDate)
    throw new NotFoundError(`Entry ${body.entryId} on ${body.deliveryDate}`);
  let capacityKw: number | undefined;
  for (const mol of lookAhead.mols.values())
    for (const e of mol.entries) if (e.entryId === body.entryId) capacityKw = e.capacityKw;
  if (capacityKw === undefined) throw new NotFoundError(`Entry ${body.entryId}`);
  if (receivedAtMs >= baselineDeadlineMs(lookAhead, config))
    throw new ConflictError(
      "BASELINE_DEADLINE_PASSED",
      "The nomination deadline for this day has passed (R-PERF-3).",
    );
  const n = lookAhead.day.periods.length;
  const problems: FieldProblem[] = [];
  if (body.nominatedMw.length !== n)
    problems.push({ path: "nominatedMw", message: `must have exactly ${n} values (R-TIME-1)` });
  body.nominatedMw.forEach((v, i) => {
    if (v < 0) problems.push({ path: `nominatedMw.${i}`, message: "must be ≥ 0" });
    else if (mwToKw(v) > capacityKw!)
      problems.push({ path: `nominatedMw.${i}`, message: "must not exceed the entry's capacity" });
  });
  if (problems.length > 0)
    throw new DomainError("BASELINE_INVALID", "The nomination is invalid (R-PERF-3).", problems);
  const earlier = held.filter(
    (h) => h.entryId === body.entryId && h.deliveryDate === body.deliveryDate,
  ).length;
  return {
    anmSchemeId: body.anmSchemeId,
    entryId: body.entryId,
    deliveryDate: body.deliveryDate,
    nominatedW: body.nominatedMw.map(mwToW),
    receivedAtMs,
    version: earlier + 1,
  };
}

/** R-PERF-3: the latest nomination of an entry's day among those held at `asOfMs`. */
export function latestNomination(
  held: ReadonlyArray<Nomination>,
  entryId: string,
  deliveryDate: string,
  asOfMs: number,
): Nomination | undefined {
  let latest: Nomination | undefined;
  for (const n of held)
    if (
      n.entryId === entryId &&
      n.deliveryDate === deliveryDate &&
      n.receivedAtMs <= asOfMs &&
      (!latest || n.receivedAtMs >= latest.receivedAtMs)
    )
      latest = n;
  return latest;
}
