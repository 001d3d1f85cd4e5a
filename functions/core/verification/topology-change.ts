import { hash } from "node:crypto";
import * as z from "zod";
import { DomainError, type FieldProblem } from "../errors";
import { calendarDate, clientId, instant, mwNumber } from "../model/fields";
import { type LookAhead, type MolEntry, MolEntryBodySchema } from "../model/look-ahead";
import { parseInstant } from "../model/settlement-periods";
import { mwToKw } from "../model/units";
import type { TopologyChange } from "./day";

const changeConstraintSchema = z.strictObject({
  constraintId: clientId.meta({ description: "The constraint whose entries changed." }),
  name: z.string().max(256).optional().meta({ description: "Its name, for a new constraint." }),
  requiredCurtailmentMw: z.array(mwNumber).optional().meta({
    description:
      "A new constraint's required curtailment per SP of the day, in MW (one per SP); absent for a constraint the look-ahead has.",
  }),
  entries: z.array(MolEntryBodySchema).max(10_000).meta({
    description: "The constraint's MOL entries after the change, in curtailment order.",
  }),
});

/** The body of `POST /anm/topology-changes` (R-VERIFY-1); shape errors are 400. */
export const TopologyChangeBodySchema = z.strictObject({
  topologyChangeId: clientId.meta({
    description:
      "The ANM's id of the change; a repeat with the same body answers the first result.",
  }),
  anmSchemeId: clientId.meta({ description: "The ANM scheme.", examples: ["ENWL-ANM-01"] }),
  deliveryDate: calendarDate.meta({
    description: "The delivery day, a calendar date in Europe/London (YYYY-MM-DD).",
    format: "date",
    examples: ["2027-06-14"],
  }),
  effectiveFrom: instant.meta({
    description: "When the topology changed (ISO 8601 instant with offset).",
    format: "date-time",
  }),
  constraints: z.array(changeConstraintSchema).min(1).max(1000).meta({
    description: "Each changed constraint with its entries after the change.",
  }),
});

export type TopologyChangeBody = z.infer<typeof TopologyChangeBodySchema>;

/** R-VERIFY-1: a well-formed change that breaks the R-IN-1 rules (422). */
export class TopologyChangeInvalidError extends DomainError {
  constructor(errors: ReadonlyArray<FieldProblem>) {
    super("TOPOLOGY_CHANGE_INVALID", "The topology change breaks R-VERIFY-1 (R-IN-1).", errors);
    this.name = "TopologyChangeInvalidError";
  }
}

/**
 * R-VERIFY-1 with R-IN-1: every rule a well-shaped change can break against its look-ahead —
 * scheme and day of the look-ahead, array lengths, negatives, duplicate entries or constraints,
 * gapped `curtailmentOrder`, an entry whose resourceId or capacity differs from the look-ahead's
 * (D-2), a forecast above capacity (D-3), `requiredCurtailmentMw` on a constraint the look-ahead
 * has. All are reported at once.
 */
export function topologyChangeProblems(
  body: TopologyChangeBody,
  lookAhead: LookAhead,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (body.anmSchemeId !== lookAhead.anmSchemeId || body.deliveryDate !== lookAhead.deliveryDate) {
    add("deliveryDate", "no look-ahead for this scheme and day (R-VERIFY-1)");
    return problems;
  }
  const n = lookAhead.day.periods.length;
  const facts = new Map<string, { resourceId: string; capacityKw: number }>();
  for (const mol of lookAhead.mols.values())
    for (const e of mol.entries)
      if (!facts.has(e.entryId))
        facts.set(e.entryId, { resourceId: e.resourceId, capacityKw: e.capacityKw });
  const known = new Set(lookAhead.constraints.map((c) => c.constraintId));
  const seenConstraints = new Set<string>();
  body.constraints.forEach((c, ci) => {
    const at = `constraints.${ci}`;
    if (seenConstraints.has(c.constraintId))
      add(`${at}.constraintId`, `constraint ${c.constraintId} is listed twice (R-IN-1)`);
    seenConstraints.add(c.constraintId);
    if (c.requiredCurtailmentMw) {
      if (known.has(c.constraintId))
        add(
          `${at}.requiredCurtailmentMw`,
          `constraint ${c.constraintId} is in the look-ahead: its CLA cannot change (R-VERIFY-1)`,
        );
      if (c.requiredCurtailmentMw.length !== n)
        add(`${at}.requiredCurtailmentMw`, `must have exactly ${n} values (R-IN-1, R-TIME-1)`);
      c.requiredCurtailmentMw.forEach((v, i) => {
        if (v < 0) add(`${at}.requiredCurtailmentMw.${i}`, "must be ≥ 0 (R-IN-1)");
      });
    }
    const ids = new Set<string>();
    const orders = new Set<number>();
    c.entries.forEach((e, ei) => {
      const ep = `${at}.entries.${ei}`;
      if (ids.has(e.entryId)) add(`${ep}.entryId`, `duplicate entry id ${e.entryId} (R-IN-1)`);
      ids.add(e.entryId);
      if (orders.has(e.curtailmentOrder))
        add(`${ep}.curtailmentOrder`, `duplicate curtailmentOrder ${e.curtailmentOrder} (R-IN-1)`);
      orders.add(e.curtailmentOrder);
      if (e.capacityMw < 0) add(`${ep}.capacityMw`, "must be ≥ 0 (R-IN-1)");
      const fact = facts.get(e.entryId);
      if (fact && (fact.resourceId !== e.resourceId || fact.capacityKw !== mwToKw(e.capacityMw)))
        add(
          `${ep}.entryId`,
          `entry ${e.entryId} must repeat the look-ahead's resourceId and capacityMw (D-2)`,
        );
      if (e.forecastMw) {
        if (e.forecastMw.length !== n)
          add(`${ep}.forecastMw`, `must have exactly ${n} values (R-IN-1, R-TIME-1)`);
        e.forecastMw.forEach((f, i) => {
          if (f < 0) add(`${ep}.forecastMw.${i}`, "must be ≥ 0 (R-IN-1)");
          else if (f > e.capacityMw)
            add(`${ep}.forecastMw.${i}`, "must not exceed capacityMw (D-3)");
        });
      }
    });
    for (let k = 1; k <= c.entries.length; k += 1)
      if (!orders.has(k)) {
        add(`${at}.entries`, `curtailmentOrder must run 1…${c.entries.length}; ${k} is missing`);
        break;
      }
  });
  return problems;
}

/**
 * A change that passed {@link TopologyChangeBodySchema} and {@link topologyChangeProblems}, in
 * core units. An entry the look-ahead has keeps its forecast (R-VERIFY-1); a new entry takes its
 * own `forecastMw`, else its capacity.
 */
export function toTopologyChange(body: TopologyChangeBody, lookAhead: LookAhead): TopologyChange {
  const known = new Map<string, MolEntry>();
  for (const mol of lookAhead.mols.values())
    for (const e of mol.entries) if (!known.has(e.entryId)) known.set(e.entryId, e);
  const n = lookAhead.day.periods.length;
  return {
    topologyChangeId: body.topologyChangeId,
    anmSchemeId: body.anmSchemeId,
    deliveryDate: body.deliveryDate,
    effectiveFromMs: parseInstant(body.effectiveFrom)!,
    bodyHash: hash("sha256", JSON.stringify(body), "hex"),
    constraints: body.constraints.map((c) => ({
      constraintId: c.constraintId,
      name: c.name,
      requiredKw: c.requiredCurtailmentMw?.map(mwToKw),
      entries: c.entries
        .map<MolEntry>((e) => {
          // D-65: the forecast the look-ahead gave the entry in this constraint, else in any.
          const base =
            lookAhead.mols.get(c.constraintId)?.entries.find((x) => x.entryId === e.entryId) ??
            known.get(e.entryId);
          const capacityKw = mwToKw(e.capacityMw);
          return {
            entryId: e.entryId,
            resourceId: e.resourceId,
            capacityKw,
            forecastKw: base
              ? base.forecastKw
              : (e.forecastMw?.map(mwToKw) ?? Array.from({ length: n }, () => capacityKw)),
            curtailmentOrder: e.curtailmentOrder,
            tradable: e.tradable ?? base?.tradable ?? true,
            flexibleServiceWindows: (e.flexibleServiceWindows ?? []).map((w) => ({
              startMs: parseInstant(w.start)!,
              endMs: parseInstant(w.end)!,
            })),
          };
        })
        .sort((a, b) => a.curtailmentOrder - b.curtailmentOrder),
    })),
  };
}
