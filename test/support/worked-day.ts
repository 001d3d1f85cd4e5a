import { DEFAULT_POST_TRADE_CONFIG } from "../../functions/core/config/post-trade-config";
import { parseInstant } from "../../functions/core/model/settlement-periods";
import type { PostTradeDay, TopologyChange } from "../../functions/core/verification/day";
import {
  type TopologyChangeBody,
  TopologyChangeBodySchema,
  toTopologyChange,
} from "../../functions/core/verification/topology-change";
import type { ConstraintSpec } from "./look-ahead-builder";
import { type OrderSpec, tradedDay } from "./post-trade-day";

/** The worked example's MOL (G4-A newest … G1-A oldest), capacities and forecasts in MW. */
export const WORKED_MOL = [
  { entryId: "G4-A", capacityMw: 5, forecastMw: 4.5 },
  { entryId: "G3-B", capacityMw: 2, forecastMw: 1.5 },
  { entryId: "G3-A", capacityMw: 4, forecastMw: 3.5 },
  { entryId: "G2-A", capacityMw: 8, forecastMw: 6 },
  { entryId: "G5-A", capacityMw: 3, forecastMw: 3 },
  { entryId: "G1-A", capacityMw: 10, forecastMw: 8 },
];

/** Owners as in the worked example, G3-B unclaimed. */
export const WORKED_OWNERS = {
  "G4-A": "g4",
  "G3-A": "g3",
  "G2-A": "g2",
  "G5-A": "g5",
  "G1-A": "g1",
};

/** b1, o1, o2 of the worked example: T1 = G4-A ← G5-A 3 MW at 10/25, T2 = G4-A ← G1-A 1.5 MW at 14/32. */
export const WORKED_ORDERS: OrderSpec[] = [
  { entryId: "G4-A", side: "buy", mw: 4.5, availability: 20, utilisation: 40 },
  { entryId: "G5-A", side: "sell", mw: 3, availability: 10, utilisation: 25 },
  { entryId: "G1-A", side: "sell", mw: 4, availability: 14, utilisation: 32 },
];

/**
 * The worked example as a published day (default 2027-06-14, event 4, 7, 7, 4 MW in SP 25–28):
 * trades[0] is T1 (G5-A sells 3 MW), trades[1] T2 (G1-A sells 1.5 MW).
 */
export function workedDay(
  options: {
    date?: string;
    required?: Record<number, number>;
    extra?: ConstraintSpec[];
    orders?: OrderSpec[];
  } = {},
) {
  return tradedDay({
    date: options.date ?? "2027-06-14",
    constraints: [
      {
        constraintId: "C1",
        required: options.required ?? { 25: 4, 26: 7, 27: 7, 28: 4 },
        mol: WORKED_MOL,
      },
      ...(options.extra ?? []),
    ],
    owners: WORKED_OWNERS,
    orders: options.orders ?? WORKED_ORDERS,
  });
}

/** A topology change body for the day: each constraint's MOL as entry ids in curtailment order. */
export function changeBody(
  day: PostTradeDay,
  id: string,
  effectiveFrom: string,
  constraints: { constraintId: string; entries: string[]; requiredCurtailmentMw?: number[] }[],
): TopologyChangeBody {
  const facts = new Map<string, { resourceId: string; capacityKw: number }>();
  for (const mol of day.lookAhead.mols.values())
    for (const e of mol.entries) facts.set(e.entryId, e);
  return TopologyChangeBodySchema.parse({
    topologyChangeId: id,
    anmSchemeId: day.lookAhead.anmSchemeId,
    deliveryDate: day.lookAhead.deliveryDate,
    effectiveFrom,
    constraints: constraints.map((c) => ({
      constraintId: c.constraintId,
      ...(c.requiredCurtailmentMw ? { requiredCurtailmentMw: c.requiredCurtailmentMw } : {}),
      entries: c.entries.map((entryId, i) => ({
        entryId,
        resourceId: facts.get(entryId)?.resourceId ?? entryId.split("-")[0],
        capacityMw: (facts.get(entryId)?.capacityKw ?? 1000) / 1000,
        curtailmentOrder: i + 1,
      })),
    })),
  });
}

/** A validated change in core units. */
export function changeOf(day: PostTradeDay, body: TopologyChangeBody): TopologyChange {
  return toTopologyChange(body, day.lookAhead);
}

/** G5-A moves behind a new constraint C2 (the worked example's variant D). */
export function g5MovesToC2(
  day: PostTradeDay,
  id = "TC-1",
  effectiveFrom = "2027-06-14T12:40:00+01:00",
) {
  return changeOf(
    day,
    changeBody(day, id, effectiveFrom, [
      { constraintId: "C1", entries: ["G4-A", "G3-B", "G3-A", "G2-A", "G1-A"] },
      { constraintId: "C2", entries: ["G5-A"] },
    ]),
  );
}

export const CONFIG = DEFAULT_POST_TRADE_CONFIG;

/** Epoch ms of an ISO instant. */
export const ms = (iso: string) => parseInstant(iso)!;
