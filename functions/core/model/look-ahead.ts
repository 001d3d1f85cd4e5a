import * as z from "zod";
import { type FieldProblem, LookAheadInvalidError } from "../errors";
import { calendarDate, clientId, instant, mwNumber } from "./fields";
import {
  type DeliveryDay,
  defaultGateClosureMs,
  deliveryDay,
  localMidnight,
  parseInstant,
} from "./settlement-periods";
import { mwToKw } from "./units";

/** Tag carried by every issue that is an R-IN-1 rule violation rather than a shape error. */
const RULE = { rule: "R-IN-1" } as const;

const at = (description: string) => instant.meta({ description, format: "date-time" });
const perSp = (description: string) =>
  z.array(mwNumber).meta({
    description: `${description}, in MW (at most 3 decimals), one value per settlement period of the delivery day (48, or 46/50 on clock-change days).`,
  });

const windowSchema = z.strictObject({
  start: at("Start of the window (ISO 8601 with an offset)."),
  end: at("End of the window, exclusive."),
});

const entrySchema = z.strictObject({
  entryId: clientId.meta({
    description: "The connection contract (one generator may own several).",
  }),
  resourceId: clientId.meta({ description: "The generator (resource) the entry belongs to." }),
  capacityMw: mwNumber.meta({ description: "The entry's capacity in MW, at most 3 decimals." }),
  forecastMw: perSp(
    "The entry's forecast output (default: its capacity); never above capacity (D-3)",
  ).optional(),
  curtailmentOrder: z
    .number()
    .int({ message: "must be a whole number" })
    .meta({ description: "Position in the MOL: 1 is curtailed first; 1…n without gaps (R-IN-1)." }),
  tradable: z
    .boolean()
    .optional()
    .meta({ description: "The DNO's flag; false keeps the entry out of trading (default true)." }),
  flexibleServiceWindows: z.array(windowSchema).max(500).optional().meta({
    description:
      "Windows in which the entry is contracted to the DNO for flexibility services (R-ELIG-1).",
  }),
});

/** The shape of one MOL entry as the ANM sends it; topology changes use it too (R-VERIFY-1). */
export const MolEntryBodySchema = entrySchema;

const constraintSchema = z.strictObject({
  constraintId: clientId.meta({ description: "The constraint (a circuit or transformer)." }),
  name: z.string().max(256).optional().meta({ description: "A readable name." }),
  requiredCurtailmentMw: perSp(
    "How much generation behind the constraint must be curtailed (the CLA), ≥ 0",
  ),
});

const molSchema = z.strictObject({
  constraintId: clientId.meta({ description: "The constraint this MOL curtails for." }),
  version: z
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: "The ANM's MOL version (echoed as baseVersion)." }),
  entries: z.array(entrySchema).meta({ description: "The MOL's entries, each once." }),
});

/** The body of `POST /anm/look-aheads` as received (api.md "ANM interface"). */
export type LookAheadBody = z.infer<typeof lookAheadShape>;

const lookAheadShape = z.strictObject({
  lookAheadId: clientId.meta({
    description:
      "The idempotency key (R-IN-2): the same id with the same body replays, with another body 409.",
  }),
  anmSchemeId: clientId.meta({ description: "The ANM scheme." }),
  deliveryDate: calendarDate.meta({
    description: "The delivery day, a calendar date in Europe/London (YYYY-MM-DD).",
    format: "date",
  }),
  issuedAt: at("When the ANM issued it."),
  gateClosureAt: at(
    "Gate closure (default 12:00 Europe/London the day before, R-GATE-1); before the delivery day starts and not in the past.",
  ).optional(),
  constraints: z
    .array(constraintSchema)
    .min(1)
    .max(1000)
    .meta({ description: "The constraints and their required curtailment." }),
  mols: z.array(molSchema).max(1000).meta({ description: "One MOL per constraint." }),
});

/**
 * The look-ahead schema: shape checks (a violation is 400 VALIDATION_FAILED) plus every R-IN-1
 * check that does not depend on the current time (a violation is 422 LOOK_AHEAD_INVALID). The
 * gate-closure-in-the-past check needs a clock and lives in {@link checkGateClosureNotPast}.
 */
export const LookAheadSchema = lookAheadShape.superRefine((body, ctx) => {
  for (const problem of lookAheadRuleProblems(body)) {
    ctx.addIssue({
      code: "custom",
      path: problem.path.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
      message: problem.message,
      params: RULE,
    });
  }
});

/** True when a zod issue came from an R-IN-1 rule check rather than from the shape. */
export function isRuleIssue(issue: z.core.$ZodIssue): boolean {
  return (
    issue.code === "custom" && (issue as { params?: { rule?: string } }).params?.rule === "R-IN-1"
  );
}

/** Every R-IN-1 violation of a well-shaped look-ahead that does not depend on the clock. */
export function lookAheadRuleProblems(body: LookAheadBody): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  // A refinement failure does not stop zod from running this check: without a real delivery
  // date the shape error already reported is the whole story.
  if (localMidnight(body.deliveryDate) === undefined) return problems;
  const day = deliveryDay(body.deliveryDate);
  const n = day.periods.length;

  const negatives = (values: number[], path: string) => {
    values.forEach((v, i) => {
      if (v < 0) add(`${path}.${i}`, "must be ≥ 0 (R-IN-1)");
    });
  };

  const constraintIds = new Set<string>();
  body.constraints.forEach((c, ci) => {
    if (constraintIds.has(c.constraintId))
      add(`constraints.${ci}.constraintId`, `duplicate constraint id ${c.constraintId} (R-IN-1)`);
    constraintIds.add(c.constraintId);
    if (c.requiredCurtailmentMw.length !== n)
      add(
        `constraints.${ci}.requiredCurtailmentMw`,
        `must have exactly ${n} values, one per settlement period of ${body.deliveryDate} (R-IN-1, R-TIME-1); got ${c.requiredCurtailmentMw.length}`,
      );
    negatives(c.requiredCurtailmentMw, `constraints.${ci}.requiredCurtailmentMw`);
  });

  const molConstraints = new Set<string>();
  const entryFacts = new Map<
    string,
    { resourceId: string; capacityMw: number; at: string; mol: number }
  >();
  body.mols.forEach((mol, mi) => {
    const base = `mols.${mi}`;
    if (!constraintIds.has(mol.constraintId))
      add(`${base}.constraintId`, `MOL for unknown constraint ${mol.constraintId} (R-IN-1)`);
    if (molConstraints.has(mol.constraintId))
      add(`${base}.constraintId`, `second MOL for constraint ${mol.constraintId} (R-IN-1)`);
    molConstraints.add(mol.constraintId);

    const ids = new Set<string>();
    const orders = new Set<number>();
    mol.entries.forEach((e, ei) => {
      const at = `${base}.entries.${ei}`;
      if (ids.has(e.entryId))
        add(`${at}.entryId`, `duplicate entry id ${e.entryId} in this MOL (R-IN-1)`);
      ids.add(e.entryId);
      if (orders.has(e.curtailmentOrder))
        add(`${at}.curtailmentOrder`, `duplicate curtailmentOrder ${e.curtailmentOrder} (R-IN-1)`);
      orders.add(e.curtailmentOrder);
      if (e.capacityMw < 0) add(`${at}.capacityMw`, "must be ≥ 0 (R-IN-1)");
      if (e.forecastMw) {
        if (e.forecastMw.length !== n)
          add(
            `${at}.forecastMw`,
            `must have exactly ${n} values, one per settlement period (R-IN-1, R-TIME-1); got ${e.forecastMw.length}`,
          );
        negatives(e.forecastMw, `${at}.forecastMw`);
        e.forecastMw.forEach((f, i) => {
          if (f > e.capacityMw)
            add(
              `${at}.forecastMw.${i}`,
              `must not exceed capacityMw ${e.capacityMw} (decision D-3)`,
            );
        });
      }
      (e.flexibleServiceWindows ?? []).forEach((w, wi) => {
        const s = parseInstant(w.start) ?? 0;
        const t = parseInstant(w.end) ?? 0;
        if (s >= t) add(`${at}.flexibleServiceWindows.${wi}.end`, "must be after start (R-TIME-2)");
      });
      const seen = entryFacts.get(e.entryId);
      if (
        seen &&
        seen.mol !== mi &&
        (seen.resourceId !== e.resourceId || seen.capacityMw !== e.capacityMw)
      )
        add(
          `${at}.entryId`,
          `entry ${e.entryId} has a different resourceId or capacityMw in ${seen.at} (decision D-2)`,
        );
      if (!seen)
        entryFacts.set(e.entryId, {
          resourceId: e.resourceId,
          capacityMw: e.capacityMw,
          at,
          mol: mi,
        });
    });
    const expected = mol.entries.length;
    for (let k = 1; k <= expected; k += 1) {
      if (!orders.has(k)) {
        add(
          `${base}.entries`,
          `curtailmentOrder must run 1…${expected} without gaps; ${k} is missing (R-IN-1)`,
        );
        break;
      }
    }
  });

  const gate = gateClosureMsOf(body);
  if (gate >= day.startMs)
    add("gateClosureAt", "must be before the start of the delivery day (R-IN-1)");
  return problems;
}

/**
 * The gate closure of a look-ahead: its own `gateClosureAt`, else the R-GATE-1 default of its
 * scheme (`rule`, from the scheme configuration; 12:00 local on D-1 when not given).
 */
export function gateClosureMsOf(
  body: Pick<LookAheadBody, "gateClosureAt" | "deliveryDate">,
  rule?: { daysBefore: number; localTime: string },
): number {
  const own = body.gateClosureAt ? parseInstant(body.gateClosureAt) : undefined;
  return own ?? defaultGateClosureMs(body.deliveryDate, rule?.localTime, rule?.daysBefore);
}

/**
 * D-133: the longest lead time the platform accepts, gate closure − receive time: 96 hours (a
 * Thursday look-ahead for Monday). The day-ahead workflow's timeout is this plus the worst case
 * of its steps plus a margin (`test/unit/workflow/lead-time.test.ts` proves the sum from the
 * ASL), so a cycle can never time out waiting for its gate closure.
 */
export const MAX_LEAD_TIME_MS = 96 * 3_600_000;

/**
 * R-IN-1, the clock-dependent part: a gate closure in the past (at or before `nowMs`) is refused,
 * and so is one further ahead than {@link MAX_LEAD_TIME_MS} (D-133). Skipped by offline
 * simulation (api.md "Offline simulation").
 */
export function checkGateClosureNotPast(
  body: LookAheadBody,
  nowMs: number,
  rule?: { daysBefore: number; localTime: string },
): void {
  const gate = gateClosureMsOf(body, rule);
  if (gate <= nowMs)
    throw new LookAheadInvalidError([
      { path: "gateClosureAt", message: "gate closure is in the past (R-IN-1)" },
    ]);
  if (gate - nowMs > MAX_LEAD_TIME_MS)
    throw new LookAheadInvalidError([
      {
        path: "gateClosureAt",
        message: `gate closure is more than ${MAX_LEAD_TIME_MS / 3_600_000} hours ahead (D-133)`,
      },
    ]);
}

/** A MOL entry inside the core: integer kW, per-SP arrays of the delivery day. */
export interface MolEntry {
  entryId: string;
  resourceId: string;
  capacityKw: number;
  /** Forecast per SP (defaults to capacity). */
  forecastKw: number[];
  /** 1 = curtailed first. */
  curtailmentOrder: number;
  tradable: boolean;
  flexibleServiceWindows: { startMs: number; endMs: number }[];
}

/** One constraint's Merit Order List, entries sorted by `curtailmentOrder`. */
export interface Mol {
  constraintId: string;
  version: number | undefined;
  entries: MolEntry[];
}

/** A constraint and its Constraint Look-Ahead (required curtailment per SP, kW). */
export interface Constraint {
  constraintId: string;
  name: string | undefined;
  requiredKw: number[];
}

/** A validated look-ahead in core units. */
export interface LookAhead {
  lookAheadId: string;
  anmSchemeId: string;
  deliveryDate: string;
  day: DeliveryDay;
  issuedAtMs: number;
  gateClosureMs: number;
  constraints: Constraint[];
  /** Keyed by constraint id; a constraint may have no MOL. */
  mols: Map<string, Mol>;
}

/** Converts a body that passed {@link LookAheadSchema} into core units. */
export function toLookAhead(body: LookAheadBody): LookAhead {
  const day = deliveryDay(body.deliveryDate);
  const mols = new Map<string, Mol>();
  for (const mol of body.mols) {
    const entries = mol.entries
      .map<MolEntry>((e) => {
        const capacityKw = mwToKw(e.capacityMw);
        return {
          entryId: e.entryId,
          resourceId: e.resourceId,
          capacityKw,
          forecastKw: e.forecastMw ? e.forecastMw.map(mwToKw) : day.periods.map(() => capacityKw),
          curtailmentOrder: e.curtailmentOrder,
          tradable: e.tradable ?? true,
          flexibleServiceWindows: (e.flexibleServiceWindows ?? []).map((w) => ({
            startMs: parseInstant(w.start)!,
            endMs: parseInstant(w.end)!,
          })),
        };
      })
      .sort((a, b) => a.curtailmentOrder - b.curtailmentOrder);
    mols.set(mol.constraintId, { constraintId: mol.constraintId, version: mol.version, entries });
  }
  return {
    lookAheadId: body.lookAheadId,
    anmSchemeId: body.anmSchemeId,
    deliveryDate: body.deliveryDate,
    day,
    issuedAtMs: parseInstant(body.issuedAt)!,
    gateClosureMs: gateClosureMsOf(body),
    constraints: body.constraints.map((c) => ({
      constraintId: c.constraintId,
      name: c.name,
      requiredKw: c.requiredCurtailmentMw.map(mwToKw),
    })),
    mols,
  };
}
