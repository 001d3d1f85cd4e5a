import * as z from "zod";
import {
  floorBelowGrace,
  type PostTradeConfig,
  toPostTradeConfig,
} from "../config/post-trade-config";
import {
  fractionField,
  postTradeScalarFields,
  xOfYField,
} from "../config/post-trade-config-schema";
import { curtailmentIndexRows, dayCurtailment } from "../curtailment-index/ledger";
import { DomainError, type FieldProblem } from "../errors";
import type { PlatformEvent } from "../events/platform-event";
import { statementIssuedEvent } from "../events/statement-events";
import type { Trade } from "../matching/match";
import { isMonth, monthOf } from "../model/calendar";
import { calendarDate, clientId, gbpPrice, instant, mwNumber } from "../model/fields";
import type { Rational } from "../model/rational";
import { deliveryDay, parseInstant, toUtcIso } from "../model/settlement-periods";
import { gbpToPence, mwToKw } from "../model/units";
import { deriveOpportunities } from "../opportunities/derive";
import type { ServiceType } from "../orders/order";
import {
  type ActualsBody,
  ActualsBodySchema,
  type ActualsRecord,
  acceptActuals,
  assertActualsNew,
} from "../performance/actuals";
import { additiveAdjustment, midXOfYBaseline } from "../performance/baseline";
import { dayContextOf, type PostDeliveryInputs } from "../performance/day-context";
import {
  MeterCsvInvalidError,
  type MeterDay,
  MeterReadingsBodySchema,
  MeterReadingsInvalidError,
  type MeterUpload,
  meterDaysOfJson,
  parseMeterCsv,
  uploadIdOf,
} from "../performance/meter-readings";
import {
  acceptNomination,
  type Nomination,
  NominationBodySchema,
} from "../performance/nominations";
import { dayPerformance } from "../performance/performance";
import { type Problem, problem, validationProblem } from "../problem";
import { dayLines, type SettlementLine } from "../settlement/lines";
import {
  assertMonthSettleable,
  type SettlementRun,
  type Statement,
  settleMonth,
} from "../settlement/settlement-run";
import type { PostTradeDay } from "../verification/day";
import { membershipOf } from "../verification/membership";
import { publishedDay } from "../verification/published-day";
import {
  type TopologyChangeBody,
  TopologyChangeBodySchema,
  TopologyChangeInvalidError,
  topologyChangeProblems,
  toTopologyChange,
} from "../verification/topology-change";
import { applyTopologyChange, applyVeto } from "../verification/verify";
import {
  curtailmentIndexView,
  eventView,
  meritOrderVersionView,
  meterUploadSummary,
  meterUploadView,
  performanceViews,
  settlementLineView,
  settlementRunView,
  statementView,
  thirdPartyImpactView,
  topologyChangeView,
  tradeStatusView,
  vetoView,
} from "./post-trade-views";
import { type Parsed, parseScenario, type Scenario, simulate } from "./simulate";

const received = <T extends z.ZodType>(body: T) => z.strictObject({ body, receivedAt: instant });

const variantSchema = z.strictObject({
  name: z.string().min(1).max(200),
  note: z.string().optional(),
  vetoes: z
    .array(received(z.strictObject({ marketId: clientId, reason: z.string().min(1).max(1000) })))
    .optional(),
  topologyChanges: z.array(received(TopologyChangeBodySchema)).optional(),
  anmActuals: z.array(received(ActualsBodySchema)).optional(),
  nominations: z.array(received(NominationBodySchema)).optional(),
  meterReadings: z
    .array(
      z.discriminatedUnion("contentType", [
        z.strictObject({
          contentType: z.literal("application/json"),
          body: MeterReadingsBodySchema,
          receivedAt: instant,
          uploadedBy: z.enum(["participant", "operator"]).optional(),
        }),
        z.strictObject({
          contentType: z.literal("text/csv"),
          body: z.string().max(1_048_576),
          receivedAt: instant,
          uploadedBy: z.enum(["participant", "operator"]).optional(),
        }),
      ]),
    )
    .optional(),
  settlementRuns: z
    .array(
      z.strictObject({
        runAt: instant,
        month: z.string().refine(isMonth, { message: "must be a month YYYY-MM" }),
      }),
    )
    .optional(),
  eventDays: z.record(clientId, z.array(calendarDate)).optional(),
  baselineChecks: z
    .array(
      z.strictObject({
        anmSchemeId: clientId,
        entryId: clientId,
        deliveryDate: calendarDate.optional(),
        firstSp: z.number().int().min(1).max(50),
        lastSp: z.number().int().min(1).max(50),
        windowFirstSp: z.number().int().min(1).max(50).optional(),
        windowLastSp: z.number().int().min(1).max(50).optional(),
      }),
    )
    .optional(),
  expected: z.unknown().optional(),
});

const configSchema = z
  .strictObject({
    deratingFactor: z.number().optional(),
    priceCap: z.number().optional(),
    ...postTradeScalarFields(),
    midXofY: z
      .strictObject({
        working: xOfYField.optional(),
        nonWorking: xOfYField.optional(),
        lookbackDays: z.number().int().min(1).max(366).optional(),
      })
      .optional(),
    adjustment: z
      .strictObject({
        windowSps: z.number().int().min(1).max(48).optional(),
        gapSps: z.number().int().min(0).max(48).optional(),
        cap: fractionField.optional(),
      })
      .optional(),
  })
  .superRefine((c, ctx) => {
    if (!floorBelowGrace(c.graceFactor, c.performanceFloor))
      ctx.addIssue({
        code: "custom",
        path: ["performanceFloor"],
        message: "must be below 1 − graceFactor (R-SETTLE-2)",
      });
  });

const namedTradeSchema = z.strictObject({
  tradeId: clientId,
  buyOrderId: clientId,
  sellOrderId: clientId,
  constraintId: clientId.optional(),
  windowStart: instant.optional(),
  windowEnd: instant.optional(),
  buyEntryId: clientId.optional(),
  sellEntryId: clientId.optional(),
  buyParticipantId: clientId.optional(),
  sellParticipantId: clientId.optional(),
  quantityMw: mwNumber.optional(),
  availabilityPrice: gbpPrice.optional(),
  utilisationPrice: gbpPrice.optional(),
});

/**
 * A post-trade scenario (docs/api.md "Offline post-trade simulation"): the day-ahead
 * scenario, `trades` naming the day-ahead trades by bid and offer, the scheme `config` (§18 keys)
 * and `variants`, each replaying inputs with their `receivedAt` from the day-ahead result.
 */
export const PostTradeScenarioSchema = z.strictObject({
  name: z.string().optional(),
  note: z.string().optional(),
  description: z.string().optional(),
  lookAhead: z.unknown(),
  participants: z.unknown(),
  assets: z.unknown(),
  orders: z.unknown(),
  config: configSchema.optional(),
  trades: z.array(namedTradeSchema).optional(),
  variants: z.array(variantSchema).min(1).max(100),
  expected: z.unknown().optional(),
});

type Variant = z.infer<typeof variantSchema>;

/** A parsed post-trade scenario: the day as published at gate closure and the variants. */
export interface PostTradeScenario {
  dayAhead: Scenario;
  config: PostTradeConfig;
  /** The day after the day-ahead publication (version 1 of every constraint). */
  published: PostTradeDay;
  /** The day-ahead publication's events (`trade.confirmed`, R-DISPATCH-2 of version 1). */
  publicationEvents: PlatformEvent[];
  /** Scenario trade name → the day-ahead trade id it names. */
  tradeNames: { tradeId: string; dayAheadTradeId: string }[];
  variants: (Variant & { csvDays: (MeterDay[] | MeterReadingsInvalidError | undefined)[] })[];
}

const at = (problemItem: FieldProblem, prefix: string): FieldProblem => ({
  path: `${prefix}.${problemItem.path}`,
  message: problemItem.message,
});

/**
 * Validates a post-trade scenario and runs the day-ahead rules on it: the shape (400 with field
 * paths), the day-ahead scenario as `npm run simulate` checks it, CSV meter files (400 with
 * `line n.column`), then that each named trade is one the day-ahead rules made (422
 * SCENARIO_INCONSISTENT). Never throws: every outcome is a value.
 */
export function parsePostTradeScenario(input: unknown): Parsed<PostTradeScenario> {
  const shape = PostTradeScenarioSchema.safeParse(input);
  if (!shape.success) return { ok: false, problem: validationProblem(shape.error.issues) };
  const body = shape.data;
  const c = body.config ?? {};
  const dayAheadConfig: Record<string, number> = {};
  if (c.deratingFactor !== undefined) dayAheadConfig.deratingFactor = c.deratingFactor;
  if (c.priceCap !== undefined) dayAheadConfig.priceCap = c.priceCap;
  const parsed = parseScenario({
    ...(body.name ? { name: body.name } : {}),
    lookAhead: body.lookAhead,
    participants: body.participants,
    assets: body.assets,
    orders: body.orders,
    ...(Object.keys(dayAheadConfig).length > 0 ? { config: dayAheadConfig } : {}),
  });
  if (!parsed.ok) return parsed;
  const scenario = parsed.value;
  const config = toPostTradeConfig({
    ...(c.verificationNoticeMinutes === undefined
      ? {}
      : { verificationNoticeMinutes: c.verificationNoticeMinutes }),
    ...(c.vetoDeadline === undefined ? {} : { vetoDeadline: c.vetoDeadline }),
    ...(c.graceFactor === undefined ? {} : { graceFactor: c.graceFactor }),
    ...(c.performanceFloor === undefined ? {} : { performanceFloor: c.performanceFloor }),
    ...(c.pmMode === undefined ? {} : { pmMode: c.pmMode }),
    ...(c.meterDataDeadlineDays === undefined
      ? {}
      : { meterDataDeadlineDays: c.meterDataDeadlineDays }),
    ...(c.baselineDeadline === undefined ? {} : { baselineDeadline: c.baselineDeadline }),
    baseline: {
      ...(c.midXofY?.working ? { working: c.midXofY.working } : {}),
      ...(c.midXofY?.nonWorking ? { nonWorking: c.midXofY.nonWorking } : {}),
      ...(c.midXofY?.lookbackDays ? { lookbackDays: c.midXofY.lookbackDays } : {}),
      adjustment: {
        ...(c.adjustment?.windowSps === undefined ? {} : { spans: c.adjustment.windowSps }),
        ...(c.adjustment?.gapSps === undefined ? {} : { gap: c.adjustment.gapSps }),
        ...(c.adjustment?.cap === undefined ? {} : { cap: c.adjustment.cap }),
      },
    },
    ...(c.bankHolidays ? { bankHolidays: c.bankHolidays } : {}),
    ...(c.shortfallCompensation === undefined
      ? {}
      : { shortfallCompensation: c.shortfallCompensation }),
  });

  const errors: FieldProblem[] = [];
  const names = new Set<string>();
  body.variants.forEach((v, i) => {
    if (names.has(v.name))
      errors.push({ path: `variants.${i}.name`, message: "duplicate variant name" });
    names.add(v.name);
  });
  const variants = body.variants.map((v, vi) => ({
    ...v,
    csvDays: (v.meterReadings ?? []).map((m, mi) => {
      if (m.contentType !== "text/csv") return undefined;
      try {
        return parseMeterCsv(m.body);
      } catch (error) {
        if (error instanceof MeterReadingsInvalidError) return error;
        if (error instanceof MeterCsvInvalidError)
          errors.push(...error.errors.map((e) => at(e, `variants.${vi}.meterReadings.${mi}.body`)));
        else throw error;
        return undefined;
      }
    }),
  }));
  if (errors.length > 0)
    return {
      ok: false,
      problem: problem(
        400,
        "VALIDATION_FAILED",
        "The scenario is invalid",
        `${errors.length} field(s) are invalid`,
        errors,
      ),
    };

  const dayAhead = dayAheadOf(scenario, body.trades ?? []);
  if ("problem" in dayAhead) return { ok: false, problem: dayAhead.problem };
  return {
    ok: true,
    value: {
      dayAhead: scenario,
      config,
      published: dayAhead.day,
      publicationEvents: dayAhead.events,
      tradeNames: dayAhead.names,
      variants,
    },
  };
}

/**
 * The day-ahead rules (`simulate`) on the scenario, then the trades renamed as the scenario names
 * them (D-64), re-ordered and published as version 1 at gate closure.
 */
function dayAheadOf(
  scenario: Scenario,
  named: ReadonlyArray<z.infer<typeof namedTradeSchema>>,
):
  | {
      day: PostTradeDay;
      events: PlatformEvent[];
      names: { tradeId: string; dayAheadTradeId: string }[];
    }
  | { problem: Problem } {
  const result = simulate(scenario);
  const orders = new Map(scenario.orders.map((o) => [o.orderId, o]));
  const sequence = new Map<string, number>();
  const trades: Trade[] = result.trades.map((t) => {
    const s = sequence.get(t.marketId) ?? 0;
    sequence.set(t.marketId, s + 1);
    return {
      tradeId: t.tradeId,
      marketId: t.marketId,
      sequence: s,
      buyOrderId: t.buyOrderId,
      sellOrderId: t.sellOrderId,
      buyEntryId: t.buyEntryId,
      sellEntryId: t.sellEntryId,
      buyParticipantId: orders.get(t.buyOrderId)!.participantId,
      sellParticipantId: orders.get(t.sellOrderId)!.participantId,
      quantityKw: mwToKw(t.quantityMw),
      availabilityPence: gbpToPence(t.availabilityPrice),
      utilisationPence: gbpToPence(t.utilisationPrice),
    };
  });
  const book = deriveOpportunities(scenario.lookAhead, scenario.claims, scenario.config);
  const markets = new Map(book.markets.map((m) => [m.marketId, m]));
  const errors: FieldProblem[] = [];
  const names: { tradeId: string; dayAheadTradeId: string }[] = [];
  const used = new Set<string>();
  named.forEach((n, i) => {
    const path = `trades.${i}`;
    const t = trades.find((x) => x.buyOrderId === n.buyOrderId && x.sellOrderId === n.sellOrderId);
    if (!t) {
      errors.push({
        path,
        message: `the day-ahead rules make no trade of ${n.buyOrderId} × ${n.sellOrderId}`,
      });
      return;
    }
    if (used.has(n.tradeId) || trades.some((x) => x.tradeId === n.tradeId && x !== t))
      errors.push({ path: `${path}.tradeId`, message: `trade id ${n.tradeId} is used twice` });
    used.add(n.tradeId);
    const market = markets.get(t.marketId)!;
    const check = (field: string, ok: boolean, actual: unknown) => {
      if (!ok)
        errors.push({
          path: `${path}.${field}`,
          message: `the day-ahead rules give ${String(actual)}`,
        });
    };
    if (n.constraintId !== undefined)
      check("constraintId", n.constraintId === market.constraintId, market.constraintId);
    if (n.windowStart !== undefined)
      check(
        "windowStart",
        parseInstant(n.windowStart) === market.windowStartMs,
        toUtcIso(market.windowStartMs),
      );
    if (n.windowEnd !== undefined)
      check(
        "windowEnd",
        parseInstant(n.windowEnd) === market.windowEndMs,
        toUtcIso(market.windowEndMs),
      );
    if (n.buyEntryId !== undefined)
      check("buyEntryId", n.buyEntryId === t.buyEntryId, t.buyEntryId);
    if (n.sellEntryId !== undefined)
      check("sellEntryId", n.sellEntryId === t.sellEntryId, t.sellEntryId);
    if (n.buyParticipantId !== undefined)
      check("buyParticipantId", n.buyParticipantId === t.buyParticipantId, t.buyParticipantId);
    if (n.sellParticipantId !== undefined)
      check("sellParticipantId", n.sellParticipantId === t.sellParticipantId, t.sellParticipantId);
    if (n.quantityMw !== undefined)
      check("quantityMw", mwToKw(n.quantityMw) === t.quantityKw, t.quantityKw / 1000);
    if (n.availabilityPrice !== undefined)
      check(
        "availabilityPrice",
        gbpToPence(n.availabilityPrice) === t.availabilityPence,
        t.availabilityPence / 100,
      );
    if (n.utilisationPrice !== undefined)
      check(
        "utilisationPrice",
        gbpToPence(n.utilisationPrice) === t.utilisationPence,
        t.utilisationPence / 100,
      );
    names.push({ tradeId: n.tradeId, dayAheadTradeId: t.tradeId });
  });
  if (errors.length > 0)
    return {
      problem: problem(
        422,
        "SCENARIO_INCONSISTENT",
        "The scenario's trades are not the day-ahead result",
        "Each named trade must be one the day-ahead rules make from the scenario's orders.",
        errors,
      ),
    };
  const rename = new Map(names.map((n) => [n.dayAheadTradeId, n.tradeId]));
  const renamed = trades.map((t) => ({ ...t, tradeId: rename.get(t.tradeId) ?? t.tradeId }));
  const serviceTypes = new Map<string, ServiceType>(
    renamed.map((t) => [
      t.tradeId,
      orders.get(t.sellOrderId)?.serviceType ?? "generation-turn-down",
    ]),
  );
  const owners = new Map([...scenario.claims].map(([entryId, c]) => [entryId, c.participantId]));
  const { day, events } = publishedDay({
    lookAhead: scenario.lookAhead,
    book,
    trades: renamed,
    serviceTypes,
    owners,
    publishedAtMs: scenario.lookAhead.gateClosureMs,
  });
  return { day, events, names };
}

type InputKind =
  | "veto"
  | "topologyChange"
  | "anmActuals"
  | "nomination"
  | "meterReadings"
  | "settlementRun";

interface Rejection {
  input: InputKind;
  index: number;
  receivedAt?: string;
  runAt?: string;
  code: string;
  detail: string;
  errors?: FieldProblem[];
}

/**
 * Runs every variant of a parsed scenario (docs/api.md "Offline post-trade simulation"):
 * from the day-ahead publication, each variant's inputs in receive order (ties: vetoes, topology
 * changes, actuals, nominations, meter readings, settlement runs, then file order) through the
 * same core rules as the API (refusals listed with their code, D-79; readings for any entry,
 * D-80), then performance, third-party impact, the Curtailment Index and the baseline checks as
 * held after the last input. Events start at the day-ahead publication (D-68).
 */
export function simulatePostTrade(scenario: PostTradeScenario) {
  return {
    anmSchemeId: scenario.published.lookAhead.anmSchemeId,
    deliveryDate: scenario.published.lookAhead.deliveryDate,
    trades: scenario.tradeNames,
    variants: scenario.variants.map((v) => runVariant(scenario, v)),
  };
}

/** The JSON result of {@link simulatePostTrade}. */
export type PostTradeSimulationResult = ReturnType<typeof simulatePostTrade>;

function runVariant(scenario: PostTradeScenario, v: PostTradeScenario["variants"][number]) {
  const { config } = scenario;
  let day = scenario.published;
  const events: PlatformEvent[] = [...scenario.publicationEvents];
  const actuals: ActualsRecord[] = [];
  const uploads: MeterUpload[] = [];
  const nominations: Nomination[] = [];
  const issued: Statement[] = [];
  const runs: SettlementRun[] = [];
  const rejected: Rejection[] = [];
  const topologyChanges: (ReturnType<typeof topologyChangeView> & { replayed: boolean })[] = [];
  const vetoes: ReturnType<typeof vetoView>[] = [];
  const meterUploads: unknown[] = [];
  const eventDays = new Map<string, Set<string>>(
    Object.entries(v.eventDays ?? {}).map(([entry, days]) => [entry, new Set(days)]),
  );

  type Step = { kind: InputKind; index: number; atMs: number; run: () => void };
  const steps: Step[] = [];
  const add = (kind: InputKind, index: number, atIso: string, run: () => void): void => {
    steps.push({ kind, index, atMs: parseInstant(atIso)!, run });
  };
  const reject = (
    kind: InputKind,
    index: number,
    atIso: string,
    error: DomainError,
    field: "receivedAt" | "runAt" = "receivedAt",
  ) => {
    rejected.push({
      input: kind,
      index,
      [field]: atIso,
      code: error.code,
      detail: error.message,
      ...(error.errors.length > 0 ? { errors: [...error.errors] } : {}),
    });
  };
  const guarded =
    (
      kind: InputKind,
      index: number,
      atIso: string,
      f: () => void,
      field?: "receivedAt" | "runAt",
    ) =>
    () => {
      try {
        f();
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        reject(kind, index, atIso, error, field);
      }
    };
  const inputsAt = (asOfMs: number): PostDeliveryInputs => ({
    day,
    actuals,
    uploads,
    nominations,
    eventDays,
    config,
    asOfMs,
  });

  for (const [i, x] of (v.vetoes ?? []).entries())
    add(
      "veto",
      i,
      x.receivedAt,
      guarded("veto", i, x.receivedAt, () => {
        const out = applyVeto(day, x.body, parseInstant(x.receivedAt)!, config);
        day = out.day;
        events.push(...out.events);
        vetoes.push(vetoView(out.outcome));
      }),
    );
  for (const [i, x] of (v.topologyChanges ?? []).entries())
    add(
      "topologyChange",
      i,
      x.receivedAt,
      guarded("topologyChange", i, x.receivedAt, () => {
        const body = x.body as TopologyChangeBody;
        const problems = topologyChangeProblems(body, day.lookAhead);
        if (problems.length > 0) throw new TopologyChangeInvalidError(problems);
        const out = applyTopologyChange(
          day,
          toTopologyChange(body, day.lookAhead),
          parseInstant(x.receivedAt)!,
          config,
        );
        day = out.day;
        events.push(...out.events);
        topologyChanges.push({ ...topologyChangeView(day, out.outcome), replayed: out.replayed });
      }),
    );
  for (const [i, x] of (v.anmActuals ?? []).entries())
    add(
      "anmActuals",
      i,
      x.receivedAt,
      guarded("anmActuals", i, x.receivedAt, () => {
        const record = acceptActuals(
          x.body as ActualsBody,
          day,
          membershipOf(day.lookAhead, day.changes),
          parseInstant(x.receivedAt)!,
        );
        if (assertActualsNew(actuals, record) === "new") actuals.push(record);
      }),
    );
  for (const [i, x] of (v.nominations ?? []).entries())
    add(
      "nomination",
      i,
      x.receivedAt,
      guarded("nomination", i, x.receivedAt, () => {
        nominations.push(
          acceptNomination(x.body, day.lookAhead, nominations, parseInstant(x.receivedAt)!, config),
        );
      }),
    );
  for (const [i, x] of (v.meterReadings ?? []).entries())
    add(
      "meterReadings",
      i,
      x.receivedAt,
      guarded("meterReadings", i, x.receivedAt, () => {
        const csv = v.csvDays[i];
        if (csv instanceof MeterReadingsInvalidError) throw csv;
        const days = x.contentType === "text/csv" ? csv! : meterDaysOfJson(x.body);
        const receivedAtMs = parseInstant(x.receivedAt)!;
        const upload: MeterUpload = {
          uploadId: uploadIdOf(receivedAtMs, days),
          receivedAtMs,
          byOperator: x.uploadedBy === "operator",
          days,
        };
        uploads.push(upload);
        meterUploads.push(
          meterUploadView(meterUploadSummary(upload), () => config.meterDataDeadlineDays),
        );
      }),
    );
  for (const [i, x] of (v.settlementRuns ?? []).entries())
    add(
      "settlementRun",
      i,
      x.runAt,
      guarded(
        "settlementRun",
        i,
        x.runAt,
        () => {
          const runAtMs = parseInstant(x.runAt)!;
          assertMonthSettleable(x.month, runAtMs, [config.meterDataDeadlineDays]);
          const lines =
            monthOf(day.lookAhead.deliveryDate) === x.month ? linesOf(inputsAt(runAtMs)) : [];
          const out = settleMonth({
            month: x.month,
            startedAtMs: runAtMs,
            finishedAtMs: runAtMs,
            lines,
            issued,
          });
          runs.push(out.run);
          issued.push(...out.statements);
          events.push(...out.statements.map(statementIssuedEvent));
        },
        "runAt",
      ),
    );
  const kindOrder: InputKind[] = [
    "veto",
    "topologyChange",
    "anmActuals",
    "nomination",
    "meterReadings",
    "settlementRun",
  ];
  steps
    .sort(
      (a, b) =>
        a.atMs - b.atMs ||
        kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) ||
        a.index - b.index,
    )
    .forEach((s) => {
      s.run();
    });

  const asOfMs = steps.length > 0 ? Math.max(...steps.map((s) => s.atMs)) : day.lookAhead.day.endMs;
  const ctx = dayContextOf(inputsAt(asOfMs));
  const performance = dayPerformance(ctx);
  const latest = new Map<string, Statement>();
  for (const s of issued) latest.set(s.statementId, s);
  const seenEvents = new Set<string>();
  return {
    name: v.name,
    rejected,
    topologyChanges,
    vetoes,
    meterUploads,
    cancellations: day.trades
      .filter((t) => t.status !== "confirmed")
      .map((t) => tradeStatusView(day, t)),
    meritOrders: day.versions
      .filter((x) => x.reason !== "day-ahead" && x.reason !== "fallback")
      .map((x) => meritOrderVersionView(day, x, baseOf(day, x))),
    performance: performance.trades.flatMap((p) => performanceViews(day, p)),
    thirdPartyImpacts: performance.impacts.map((x) => thirdPartyImpactView(day, x)),
    settlementRuns: runs.map(settlementRunView),
    statements: issued.map(statementView),
    settlementLines: [...latest.values()].flatMap((s) =>
      s.lines.map((l) => settlementLineView(l, s)),
    ),
    curtailmentIndex: curtailmentIndexRows([dayCurtailment(ctx, performance)]).map((r) =>
      curtailmentIndexView(r, asOfMs),
    ),
    events: events
      .filter((e) => {
        if (seenEvents.has(e.id)) return false;
        seenEvents.add(e.id);
        return true;
      })
      .map(eventView),
    baselines: (v.baselineChecks ?? []).flatMap((check) => baselineCheck(check, ctx, scenario)),
  };
}

/** The lines of every settled trade of the day (R-SETTLE-1/6), as held at the inputs' instant. */
function linesOf(inputs: PostDeliveryInputs): SettlementLine[] {
  return dayLines(dayPerformance(dayContextOf(inputs)), inputs.day.owners, inputs.config);
}

/** `base` of a version: the MOL in force after its change, from its first re-ordered SP. */
function baseOf(day: PostTradeDay, v: PostTradeDay["versions"][number]) {
  const membership = membershipOf(day.lookAhead, day.changes);
  const change = day.changes.find((c) => c.change.topologyChangeId === v.topologyChangeId);
  const index = change?.outcome.cancellationIndex ?? 0;
  return membership.at(v.constraintId, index)?.mol;
}

/**
 * A baseline check of the scenario: the demand-turn-up baseline (R-PERF-5) of each SP from
 * `firstSp` to `lastSp`, with the additive adjustment of a window from `windowFirstSp`, in kW
 * with 4 decimals (R-UNIT-3 §19).
 */
function baselineCheck(
  check: NonNullable<Variant["baselineChecks"]>[number],
  ctx: ReturnType<typeof dayContextOf>,
  scenario: PostTradeScenario,
) {
  const date = check.deliveryDate ?? scenario.published.lookAhead.deliveryDate;
  const day = deliveryDay(date);
  const eventDays = ctx.inputs.eventDays.get(check.entryId) ?? new Set<string>();
  const base = (i: number) =>
    midXOfYBaseline({
      entryId: check.entryId,
      deliveryDate: date,
      index: i,
      meters: ctx.meters,
      eventDays,
      config: ctx.inputs.config,
    });
  const adjustment =
    check.windowFirstSp === undefined
      ? undefined
      : additiveAdjustment({
          windowFirstIndex: check.windowFirstSp - 1,
          baselineAt: (i) => base(i).w,
          meteredAt: (i) => ctx.meters.reading(check.entryId, date, "import", i)?.w,
          config: ctx.inputs.config,
        });
  const kw = (w: Rational) => w.div(1000).shown(4);
  const out = [];
  for (let sp = check.firstSp; sp <= check.lastSp && sp <= day.periods.length; sp += 1) {
    const b = base(sp - 1);
    const inWindow =
      adjustment &&
      sp >= check.windowFirstSp! &&
      sp <= (check.windowLastSp ?? check.windowFirstSp!);
    out.push({
      anmSchemeId: check.anmSchemeId,
      entryId: check.entryId,
      deliveryDate: date,
      sp,
      start: day.periods[sp - 1]!.start,
      method: "mid-x-of-y",
      baselineKw: b.w === undefined ? null : kw(b.w),
      daysUsed: b.daysUsed,
      ...(inWindow
        ? {
            adjustmentKw: kw(adjustment.adjW),
            adjustedBaselineKw:
              b.w === undefined ? null : kw(b.w.add(adjustment.adjW).clampNonNegative()),
          }
        : {}),
      flags: [...new Set([...b.flags, ...(inWindow ? adjustment.flags : [])])],
    });
  }
  return out;
}
