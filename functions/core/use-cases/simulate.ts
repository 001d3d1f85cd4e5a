import * as z from "zod";
import { type MarketConfig, marketConfigOf } from "../config/market-config";
import { DomainError, type FieldProblem } from "../errors";
import { calendarDate, clientId, gbpPrice, instant, mwNumber } from "../model/fields";
import { isRuleIssue, type LookAhead, LookAheadSchema, toLookAhead } from "../model/look-ahead";
import { parseInstant, toUtcIso } from "../model/settlement-periods";
import { gbpToPence, hasAtMostDecimals, mwToKw } from "../model/units";
import { deriveOpportunities, type EntryClaim } from "../opportunities/derive";
import { assertGateOpen, assertOrderAcceptable, type Order, SERVICE_TYPES } from "../orders/order";
import { fieldProblems, type Problem, problem, validationProblem } from "../problem";
import { matchDay, opportunityKey, reorderDay } from "./day-ahead";
import { marketView, opportunityView, segmentView, tradeView } from "./views";

const participantSchema = z.strictObject({
  participantId: clientId,
  status: z.enum(["pending", "approved", "rejected", "suspended"]),
});

const contractSchema = z.strictObject({ contractId: clientId, start: instant, end: instant });

const assetSchema = z.strictObject({
  assetId: clientId,
  participantId: clientId,
  status: z.enum(["pending", "qualified", "rejected"]),
  molEntryIds: z.array(clientId).min(1),
  flexibleServiceContracts: z.array(contractSchema).optional(),
});

const scenarioOrderSchema = z
  .strictObject({
    orderId: clientId,
    participantId: clientId,
    entryId: clientId,
    side: z.enum(["buy", "sell"]),
    quantityMw: mwNumber.refine((v) => v > 0, { message: "must be > 0" }),
    availabilityPrice: gbpPrice,
    utilisationPrice: gbpPrice,
    serviceType: z.enum(SERVICE_TYPES).optional(),
    submittedAt: instant,
    constraintId: clientId.optional(),
    windowStart: instant.optional(),
  })
  .superRefine((o, ctx) => {
    if (o.side === "sell" && !o.serviceType)
      ctx.addIssue({
        code: "custom",
        path: ["serviceType"],
        message: "an offer must name its serviceType (R-ORDER-1)",
      });
  });

const configSchema = z.strictObject({
  deratingFactor: z
    .number()
    .min(0)
    .max(1)
    .refine((v) => hasAtMostDecimals(v, 3), { message: "must have at most 3 decimals" })
    .optional(),
  priceCap: gbpPrice.optional(),
});

/** A simulation scenario (api.md "Offline simulation"). `name`, `description`, `expected` are notes. */
export const ScenarioSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  lookAhead: z.unknown(),
  participants: z.array(participantSchema),
  assets: z.array(assetSchema),
  orders: z.array(scenarioOrderSchema),
  config: configSchema.optional(),
  expected: z.unknown().optional(),
  deliveryDate: calendarDate.optional(),
});

type ScenarioBody = z.infer<typeof ScenarioSchema>;

/** A scenario ready to run: look-ahead in core units, eligibility claims and orders. */
export interface Scenario {
  lookAhead: LookAhead;
  claims: Map<string, EntryClaim>;
  participants: Map<string, string>;
  orders: ScenarioBody["orders"];
  config: MarketConfig;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/**
 * Validates a scenario: its shape (400 VALIDATION_FAILED), then its look-ahead's shape and
 * R-IN-1 rules (422 LOOK_AHEAD_INVALID; checks against the current time are skipped), then
 * cross-references (unknown participants, duplicate order ids, entries claimed twice). Never
 * throws: every outcome is a value.
 */
export function parseScenario(input: unknown): Parsed<Scenario> {
  const shape = ScenarioSchema.safeParse(input);
  if (!shape.success) return { ok: false, problem: validationProblem(shape.error.issues) };
  const body = shape.data;

  const la = LookAheadSchema.safeParse(body.lookAhead);
  if (!la.success) {
    const issues = la.error.issues.map((i) => ({ ...i, path: ["lookAhead", ...i.path] }));
    if (issues.every(isRuleIssue))
      return {
        ok: false,
        problem: problem(
          422,
          "LOOK_AHEAD_INVALID",
          "The look-ahead breaks R-IN-1",
          "The look-ahead is well-formed but breaks the market rules; nothing was run.",
          fieldProblems(issues),
        ),
      };
    return { ok: false, problem: validationProblem(issues) };
  }

  const errors: FieldProblem[] = [];
  const participants = new Map<string, string>();
  body.participants.forEach((p, i) => {
    if (participants.has(p.participantId))
      errors.push({ path: `participants.${i}.participantId`, message: "duplicate participant id" });
    participants.set(p.participantId, p.status);
  });

  const claims = new Map<string, EntryClaim>();
  const claimedBy = new Map<string, string>();
  body.assets.forEach((a, i) => {
    if (!participants.has(a.participantId))
      errors.push({
        path: `assets.${i}.participantId`,
        message: `unknown participant ${a.participantId}`,
      });
    if (a.status === "rejected") return;
    a.molEntryIds.forEach((entryId, j) => {
      const other = claimedBy.get(entryId);
      if (other && other !== a.assetId)
        errors.push({
          path: `assets.${i}.molEntryIds.${j}`,
          message: `entry ${entryId} is already claimed by asset ${other} (ENTRY_ALREADY_CLAIMED)`,
        });
      claimedBy.set(entryId, a.assetId);
      // R-ELIG-1: only qualified assets of approved participants trade.
      if (a.status === "qualified" && participants.get(a.participantId) === "approved")
        claims.set(entryId, {
          entryId,
          participantId: a.participantId,
          assetId: a.assetId,
          flexibleServiceWindows: (a.flexibleServiceContracts ?? []).map((c) => ({
            startMs: parseInstant(c.start)!,
            endMs: parseInstant(c.end)!,
          })),
        });
    });
  });

  const orderIds = new Set<string>();
  body.orders.forEach((o, i) => {
    if (orderIds.has(o.orderId))
      errors.push({ path: `orders.${i}.orderId`, message: "duplicate order id" });
    orderIds.add(o.orderId);
  });

  if (errors.length > 0)
    return {
      ok: false,
      problem: problem(
        400,
        "VALIDATION_FAILED",
        "The scenario is inconsistent",
        `${errors.length} field(s) are invalid`,
        errors,
      ),
    };

  const k = body.config?.deratingFactor;
  const cap = body.config?.priceCap;
  return {
    ok: true,
    value: {
      lookAhead: toLookAhead(la.data),
      claims,
      participants,
      orders: body.orders,
      config: marketConfigOf({
        market: {
          ...(k === undefined ? {} : { deratingPermille: Math.round(k * 1000) }),
          ...(cap === undefined ? {} : { priceCapPence: gbpToPence(cap) }),
        },
      }),
    },
  };
}

/**
 * Runs the day-ahead rules on a scenario, as the cycle does: derive opportunities, accept each
 * order in arrival order exactly as the API would (refusals are listed with their code), match
 * every market, re-order the MOLs. Returns the api.md "Offline simulation" result.
 */
export function simulate(scenario: Scenario) {
  const { lookAhead, claims, config } = scenario;
  const book = deriveOpportunities(lookAhead, claims, config);
  const byKey = new Map(
    book.opportunities.map((o) => [opportunityKey(o.marketId, o.entryId, o.side), o]),
  );
  const marketsById = new Map(book.markets.map((m) => [m.marketId, m]));

  const arrivals = [...scenario.orders].sort(
    (a, b) =>
      parseInstant(a.submittedAt)! - parseInstant(b.submittedAt)! ||
      (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0),
  );
  const accepted: Order[] = [];
  const rejectedOrders: { orderId: string; code: string; detail: string }[] = [];
  const openKw = new Map<string, number>();
  for (const o of arrivals) {
    try {
      const candidates = book.opportunities.filter(
        (op) =>
          op.entryId === o.entryId &&
          op.side === o.side &&
          (o.constraintId === undefined || op.constraintId === o.constraintId) &&
          (o.windowStart === undefined || op.windowStartMs === parseInstant(o.windowStart)),
      );
      if (candidates.length > 1)
        throw new DomainError(
          "MARKET_AMBIGUOUS",
          "The entry has several opportunities on that side: name the market with constraintId and windowStart.",
        );
      const status = scenario.participants.get(o.participantId);
      if (status === undefined)
        throw new DomainError("NOT_FOUND", `Unknown participant ${o.participantId}.`);
      if (status !== "approved")
        throw new DomainError(
          "PARTICIPANT_NOT_APPROVED",
          `Participant ${o.participantId} is ${status}.`,
        );
      const opportunity = candidates[0];
      const order: Order = {
        orderId: o.orderId,
        marketId: opportunity?.marketId ?? "",
        participantId: o.participantId,
        entryId: o.entryId,
        side: o.side,
        quantityKw: mwToKw(o.quantityMw),
        availabilityPence: gbpToPence(o.availabilityPrice),
        utilisationPence: gbpToPence(o.utilisationPrice),
        submittedAtMs: parseInstant(o.submittedAt)!,
      };
      if (o.serviceType) order.serviceType = o.serviceType;
      if (opportunity)
        assertGateOpen(order.submittedAtMs, marketsById.get(opportunity.marketId)!.gateClosureMs);
      const key = opportunity ? opportunityKey(opportunity.marketId, o.entryId, o.side) : "";
      assertOrderAcceptable(order, opportunity && byKey.get(key), openKw.get(key) ?? 0, config);
      openKw.set(key, (openKw.get(key) ?? 0) + order.quantityKw);
      accepted.push(order);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      rejectedOrders.push({ orderId: o.orderId, code: error.code, detail: error.message });
    }
  }

  const trades = matchDay(book, accepted);
  const meritOrders = reorderDay(lookAhead, book, trades);
  return {
    anmSchemeId: lookAhead.anmSchemeId,
    deliveryDate: lookAhead.deliveryDate,
    settlementPeriods: lookAhead.day.periods.length,
    gateClosureAt: toUtcIso(lookAhead.gateClosureMs),
    markets: book.markets.map(marketView),
    opportunities: book.opportunities.map((o) => opportunityView(o, lookAhead.gateClosureMs)),
    unresolvable: book.unresolvable.map((u) => ({
      constraintId: u.constraintId,
      sp: u.sp,
      shortfallMw: u.shortfallKw / 1000,
    })),
    rejectedOrders,
    trades: trades.map((t) => tradeView(t, marketsById.get(t.marketId)!)),
    meritOrders: meritOrders.map((c) => ({
      constraintId: c.constraintId,
      segments: c.segments.map(segmentView),
    })),
  };
}

/** The JSON result of {@link simulate}. */
export type SimulationResult = ReturnType<typeof simulate>;
