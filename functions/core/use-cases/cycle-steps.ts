import type { AuditEntry } from "../access/audit";
import { eligibleClaimsOfScheme } from "../access/entry-claims";
import { systemActor } from "../access/roles";
import { marketConfigOf } from "../config/market-config";
import { CycleStateError, CycleSupersededError, DomainError } from "../errors";
import { marketOpenedEvents, orderCancelledEvent } from "../events/cycle-events";
import type { PlatformEvent } from "../events/platform-event";
import { publicationEvents } from "../events/publication-events";
import { tradeConfirmedEvents } from "../events/trade-events";
import type { Trade } from "../matching/match";
import { type LookAhead, LookAheadSchema, toLookAhead } from "../model/look-ahead";
import { recordInstant } from "../model/settlement-periods";
import { type DayAheadBook, deriveOpportunities } from "../opportunities/derive";
import type {
  AssetStore,
  Clock,
  Cycle,
  CycleChanges,
  CycleStatus,
  CycleStore,
  EntryClaimStore,
  MarketStore,
  MeritOrderStore,
  OrderStore,
  ParticipantStore,
  PublishedVersionRef,
  SchemeConfigSource,
  StoredMarket,
  StoredOpportunity,
  StoredOrder,
  StoredTrade,
  TradeStore,
} from "../ports";
import { fenceOf } from "../ports";
import type { DayTrade } from "../verification/day";
import { matchDay, reorderDay } from "./day-ahead";

/** Everything the workflow steps touch. */
export interface CyclePorts {
  clock: Clock;
  cycles: CycleStore;
  markets: MarketStore;
  orders: OrderStore;
  trades: TradeStore;
  meritOrders: MeritOrderStore;
  /** The steps' changes that report events, each written with its events (R-NOTIFY-3). */
  changes: CycleChanges;
  /** R-ELIG-1: the entry claims, assets and participants of the registry. */
  claims: EntryClaimStore;
  assets: Pick<AssetStore, "getMany">;
  participants: Pick<ParticipantStore, "getMany">;
  schemes: SchemeConfigSource;
}

/**
 * The cycle a step runs for, with the step recorded on it (progress for the operator, and the
 * step named if this one fails) — fenced on the cycle being current (D-131): a superseded
 * cycle's step stops here with `CycleSupersededError` and changes nothing.
 */
async function cycleOf(ports: CyclePorts, cycleId: string, step: string): Promise<Cycle> {
  const cycle = await ports.cycles.getCycle(cycleId);
  if (!cycle) throw new CycleStateError(`cycle ${cycleId} does not exist`);
  if (cycle.status === "superseded") throw new CycleSupersededError(cycleId);
  await ports.cycles.markStep(fenceOf(cycle), step, {
    subject: cycleId,
    action: "cycle.step-started",
    actor: systemActor(step),
    at: recordInstant(ports.clock.nowMs()),
    ...(cycle.step ? { from: cycle.step } : {}),
    to: step,
  });
  return cycle;
}

/** The audit record of a cycle's status change made by a step (D-139). */
function stepAudit(
  ports: CyclePorts,
  cycle: Cycle,
  step: string,
  action: string,
  to: CycleStatus,
  reason?: string,
): AuditEntry {
  return {
    subject: cycle.cycleId,
    action,
    actor: systemActor(step),
    at: recordInstant(ports.clock.nowMs()),
    from: cycle.status,
    to,
    ...(reason ? { reason } : {}),
  };
}

/** The cycle's look-ahead in core units, with the gate closure the cycle holds (its scheme's default where the look-ahead gives none). */
export async function lookAheadOf(
  ports: Pick<CyclePorts, "cycles">,
  cycle: Cycle,
): Promise<LookAhead> {
  const body = await ports.cycles.loadLookAhead(cycle.cycleId);
  if (!body) throw new CycleStateError(`the look-ahead of cycle ${cycle.cycleId} is not stored`);
  return { ...toLookAhead(LookAheadSchema.parse(body)), gateClosureMs: cycle.gateClosureMs };
}

/**
 * The scheme settings of the cycle's day: the version the cycle recorded (D-190). The day was
 * marked before the version was read, so the version in force cannot have moved; if it has,
 * the data is not what the cycle ran under and the step fails loudly.
 */
async function settingsOfCycle(ports: CyclePorts, cycle: Cycle) {
  const settings = await ports.schemes.settingsFor(cycle.anmSchemeId, cycle.deliveryDate);
  if (settings?.version !== cycle.schemeVersion)
    throw new CycleStateError(
      `cycle ${cycle.cycleId} ran under scheme version ${cycle.schemeVersion ?? "defaults"}, but version ${settings?.version ?? "defaults"} is in force`,
    );
  return settings;
}

/**
 * The cycle's markets, read through an eventually consistent index: when it shows fewer than
 * DeriveOpportunities stored, fail with MARKET_INDEX_LAG so that the workflow's Retry reads again
 * (a market left out would stay `pending`, unmatched).
 */
async function marketsOf(
  ports: Pick<CyclePorts, "markets">,
  cycle: Cycle,
): Promise<StoredMarket[]> {
  const markets = await ports.markets.listMarketsOfCycle(cycle.cycleId);
  if (cycle.marketCount !== undefined && markets.length < cycle.marketCount)
    throw new MarketIndexLagError(cycle.cycleId, markets.length, cycle.marketCount);
  return markets;
}

/** The stored book of a cycle, as the core's matching and re-ordering take it. */
export async function bookOf(
  ports: Pick<CyclePorts, "markets">,
  cycle: Cycle,
): Promise<{ book: DayAheadBook; markets: StoredMarket[] }> {
  const [markets, opportunities] = await Promise.all([
    marketsOf(ports, cycle),
    ports.markets.listOpportunitiesOfCycle(cycle.cycleId),
  ]);
  markets.sort(
    (a, b) =>
      a.windowStartMs - b.windowStartMs ||
      (a.constraintId < b.constraintId ? -1 : a.constraintId > b.constraintId ? 1 : 0),
  );
  return { book: { markets, opportunities, unresolvable: [] }, markets };
}

/**
 * IngestLookAhead: the look-ahead was validated and stored by the API; this step checks it is
 * there and, when the cycle supersedes another (R-IN-3), cancels the earlier cycle's markets and
 * open orders and notifies their owners. Idempotent.
 */
export async function ingestStep(ports: CyclePorts, cycleId: string): Promise<void> {
  const cycle = await cycleOf(ports, cycleId, "IngestLookAhead");
  await lookAheadOf(ports, cycle);
  if (!cycle.supersedes) return;
  const old = cycle.supersedes;
  const markets = await ports.markets.listMarketsOfCycle(old);
  const now = ports.clock.nowMs();
  const orders = (
    await Promise.all(markets.map((m) => ports.orders.ordersOfMarket(m.marketId, old)))
  )
    .flat()
    .filter((o) => o.status === "open");
  await ports.changes.cancelSuperseded({
    fence: fenceOf(cycle),
    cycleId,
    superseded: old,
    orders,
    marketIds: markets.map((m) => m.marketId),
    events: orders.map((o) => orderCancelledEvent(o, now)),
    auditOf: (o) => ({
      subject: o.orderId,
      action: "order.cancelled",
      actor: systemActor("IngestLookAhead"),
      at: recordInstant(now),
      from: "open",
      to: "cancelled",
      reason: `look-ahead superseded by cycle ${cycleId} (R-IN-3)`,
    }),
    atMs: now,
  });
}

/** DeriveOpportunities: R-ALLOC, R-EVENT, R-ELIG on the stored look-ahead; stores the book. */
export async function deriveStep(
  ports: CyclePorts,
  cycleId: string,
): Promise<{ markets: number; opportunities: number }> {
  const cycle = await cycleOf(ports, cycleId, "DeriveOpportunities");
  const lookAhead = await lookAheadOf(ports, cycle);
  const claims = new Map(
    (await eligibleClaimsOfScheme(ports, cycle.anmSchemeId)).map((c) => [c.entryId, c]),
  );
  const config = marketConfigOf(await settingsOfCycle(ports, cycle));
  const book = deriveOpportunities(lookAhead, claims, config);
  const markets: StoredMarket[] = book.markets.map((m) => ({
    ...m,
    cycleId,
    cycleCreatedAtMs: cycle.createdAtMs,
    status: "pending",
  }));
  const opportunities: StoredOpportunity[] = book.opportunities.map((o) => ({
    ...o,
    cycleId,
    deliveryDate: lookAhead.deliveryDate,
    gateClosureMs: lookAhead.gateClosureMs,
  }));
  await ports.markets.saveBook(fenceOf(cycle), markets, opportunities);
  await ports.cycles.annotate(fenceOf(cycle), {
    unresolvable: book.unresolvable,
    marketCount: markets.length,
  });
  return { markets: markets.length, opportunities: opportunities.length };
}

/**
 * OpenMarkets: markets open for orders; every participant with an opportunity in one gets its
 * `market.opened`, written with the market's change (R-NOTIFY-3).
 */
export async function openStep(ports: CyclePorts, cycleId: string): Promise<void> {
  const cycle = await cycleOf(ports, cycleId, "OpenMarkets");
  const markets = await marketsOf(ports, cycle);
  const opportunities = await ports.markets.listOpportunitiesOfCycle(cycleId);
  const now = ports.clock.nowMs();
  await ports.changes.openMarkets({
    fence: fenceOf(cycle),
    cycleId,
    marketIds: markets.map((m) => m.marketId),
    events: markets.flatMap((m) => marketOpenedEvents(cycleId, m, opportunities, now)),
    audit: stepAudit(ports, cycle, "OpenMarkets", "cycle.markets-opened", "markets-open"),
  });
}

/** CloseMarkets: at gate closure, markets stop taking orders (R-GATE-1). */
export async function closeStep(ports: CyclePorts, cycleId: string): Promise<void> {
  const cycle = await cycleOf(ports, cycleId, "CloseMarkets");
  const markets = await marketsOf(ports, cycle);
  await ports.markets.setMarketStatus(
    fenceOf(cycle),
    cycleId,
    markets.map((m) => m.marketId),
    "closed",
    ["open", "closed"],
  );
}

/** Orders that take part in matching: open at gate closure (or already settled by a crashed run). */
function matchable(orders: StoredOrder[]): StoredOrder[] {
  return orders.filter(
    (o) => o.status === "open" || o.status === "matched" || o.status === "unmatched",
  );
}

/** Match: R-MATCH per market; stores trades, order outcomes and market results. Idempotent. */
export async function matchStep(ports: CyclePorts, cycleId: string): Promise<{ trades: number }> {
  const cycle = await cycleOf(ports, cycleId, "Match");
  const { book, markets } = await bookOf(ports, cycle);
  const orders = (
    await Promise.all(markets.map((m) => ports.orders.ordersOfMarket(m.marketId, cycleId)))
  ).flat();
  // Fence: the orders read through the index must add up to the open quantities held by the
  // conditional writes (read consistently); if the index lags, fail so that the Retry re-reads.
  const held = await ports.orders.openQuantities(cycleId);
  const seen = new Map<string, number>();
  for (const o of matchable(orders)) {
    const key = `${o.marketId}|${o.side}|${o.entryId}`;
    seen.set(key, (seen.get(key) ?? 0) + o.quantityKw);
  }
  for (const [key, kw] of held) if ((seen.get(key) ?? 0) !== kw) throw new OrderIndexLagError(key);
  const live = await withoutIneligible(ports, cycle, matchable(orders));
  const trades = matchDay(book, live);
  const byMarket = new Map(markets.map((m) => [m.marketId, m]));
  const stored: StoredTrade[] = trades.map((t) => ({
    ...t,
    cycleId,
    deliveryDate: cycle.deliveryDate,
    windowStartMs: byMarket.get(t.marketId)!.windowStartMs,
    windowEndMs: byMarket.get(t.marketId)!.windowEndMs,
    status: "confirmed",
  }));
  await ports.trades.saveTrades(stored);
  const filled = new Map<string, number>();
  for (const t of trades) {
    filled.set(t.buyOrderId, (filled.get(t.buyOrderId) ?? 0) + t.quantityKw);
    filled.set(t.sellOrderId, (filled.get(t.sellOrderId) ?? 0) + t.quantityKw);
  }
  const now = ports.clock.nowMs();
  await ports.orders.settleOrders(
    live.map((o) => {
      const filledKw = filled.get(o.orderId) ?? 0;
      return {
        ...o,
        status: filledKw > 0 ? "matched" : "unmatched",
        filledKw,
        updatedAtMs: o.status === "open" ? now : o.updatedAtMs,
      };
    }),
  );
  const results = new Map(
    markets.map((m) => [m.marketId, { marketId: m.marketId, tradeCount: 0, tradedKw: 0 }]),
  );
  for (const t of trades) {
    const result = results.get(t.marketId)!;
    result.tradeCount += 1;
    result.tradedKw += t.quantityKw;
  }
  await ports.markets.setMarketResults(fenceOf(cycle), [...results.values()]);
  return { trades: trades.length };
}

/**
 * D-137: at gate closure, open orders whose entry is no longer eligible (its asset rejected, so
 * its claim released, or its participant suspended or rejected) take no part in matching and
 * are cancelled — the backstop behind the cancellations made with the operator's decision.
 */
async function withoutIneligible(
  ports: CyclePorts,
  cycle: Cycle,
  orders: StoredOrder[],
): Promise<StoredOrder[]> {
  const eligible = new Set(
    (await eligibleClaimsOfScheme(ports, cycle.anmSchemeId)).map(
      (c) => `${c.entryId}\u0000${c.participantId}`,
    ),
  );
  const ok = (o: StoredOrder) => eligible.has(`${o.entryId}\u0000${o.participantId}`);
  const stale = orders.filter((o) => o.status === "open" && !ok(o));
  if (stale.length > 0) {
    const now = ports.clock.nowMs();
    await ports.orders.cancelOrders(stale, now, (o) => ({
      subject: o.orderId,
      action: "order.cancelled",
      actor: systemActor("Match"),
      at: recordInstant(now),
      from: "open",
      to: "cancelled",
      reason: "the entry or its participant is no longer eligible (R-ELIG-1)",
    }));
  }
  return orders.filter((o) => o.status !== "open" || ok(o));
}

/** The stored trades of a cycle in the order matching made them. */
export function inMatchingOrder(trades: StoredTrade[]): Trade[] {
  return [...trades].sort((a, b) =>
    a.marketId < b.marketId ? -1 : a.marketId > b.marketId ? 1 : a.sequence - b.sequence,
  );
}

/** ReorderMeritOrder: R-REORDER on the stored trades; a neutrality failure fails the step. */
export async function reorderStep(
  ports: CyclePorts,
  cycleId: string,
): Promise<{ constraints: number }> {
  const cycle = await cycleOf(ports, cycleId, "ReorderMeritOrder");
  const lookAhead = await lookAheadOf(ports, cycle);
  const { book } = await bookOf(ports, cycle);
  const trades = inMatchingOrder(await ports.trades.listTradesOfCycle(cycleId));
  const meritOrders = reorderDay(lookAhead, book, trades);
  await ports.meritOrders.saveDraft(cycleId, meritOrders);
  return { constraints: meritOrders.length };
}

/**
 * Publishes a version of every constraint of the look-ahead (D-28) with the publication's events
 * (R-NOTIFY-4, R-DISPATCH-2, D-68): `trade.confirmed` to each party of each trade and, per
 * version with segments or replacing one, `merit-order.published` and `dispatch.instruction`.
 * Events are stamped at gate closure, so a retried step writes the same bodies.
 */
async function publishAll(
  ports: CyclePorts,
  cycle: Cycle,
  lookAhead: LookAhead,
  fallback: boolean,
  step: string,
  status?: { to: CycleStatus; from: CycleStatus[] },
): Promise<void> {
  const draft = fallback ? [] : ((await ports.meritOrders.loadDraft(cycle.cycleId)) ?? []);
  const byConstraint = new Map(draft.map((c) => [c.constraintId, c.segments]));
  const now = ports.clock.nowMs();
  const [claims, trades, markets] = await Promise.all([
    eligibleClaimsOfScheme(ports, cycle.anmSchemeId),
    fallback ? Promise.resolve([]) : ports.trades.listTradesOfCycle(cycle.cycleId),
    fallback ? Promise.resolve([]) : marketsOf(ports, cycle),
  ]);
  const owners = new Map(claims.map((c) => [c.entryId, c.participantId]));
  const byMarket = new Map(markets.map((m) => [m.marketId, m]));
  const atMs = cycle.gateClosureMs;
  const day = {
    lookAhead,
    owners,
    trades: inMatchingOrder(trades).map(
      (t): DayTrade => ({
        trade: t,
        market: byMarket.get(t.marketId)!,
        serviceType: "generation-turn-down",
        constraintIds: [],
        status: "confirmed",
      }),
    ),
  };
  const eventsFor = (versions: ReadonlyArray<PublishedVersionRef>): PlatformEvent[] => [
    ...(fallback ? [] : tradeConfirmedEvents(day, atMs)),
    ...versions.flatMap((v) =>
      publicationEvents(
        day,
        {
          constraintId: v.constraintId,
          version: v.version,
          reason: fallback ? "fallback" : "day-ahead",
          supersedesVersion: v.previous?.version ?? null,
          cancelledTradeIds: [],
          segments: byConstraint.get(v.constraintId) ?? [],
          publishedAtMs: atMs,
        },
        v.previous && {
          constraintId: v.constraintId,
          version: v.previous.version,
          reason: v.previous.fallback ? "fallback" : "day-ahead",
          supersedesVersion: null,
          cancelledTradeIds: [],
          segments: v.previous.segments,
          publishedAtMs: v.previous.publishedAtMs,
        },
      ),
    ),
  ];
  await ports.changes.publish({
    fence: fenceOf(cycle),
    cycleId: cycle.cycleId,
    mols: lookAhead.constraints.map((constraint) => ({
      anmSchemeId: cycle.anmSchemeId,
      deliveryDate: cycle.deliveryDate,
      constraintId: constraint.constraintId,
      cycleId: cycle.cycleId,
      baseVersion: lookAhead.mols.get(constraint.constraintId)?.version,
      publishedAtMs: now,
      fallback,
      segments: byConstraint.get(constraint.constraintId) ?? [],
    })),
    eventsFor,
    audit: {
      subject: cycle.cycleId,
      action: fallback ? "merit-order.fallback-published" : "merit-order.published",
      actor: systemActor(step),
      at: recordInstant(now),
      to: `${lookAhead.constraints.length} constraint(s)${fallback ? ", the MOL as received" : ""}`,
    },
    ...(status
      ? {
          status: {
            ...status,
            audit: stepAudit(ports, cycle, step, `cycle.${status.to}`, status.to),
          },
        }
      : {}),
  });
}

/**
 * Publish: the re-ordered MOLs become immutable versions for the ANM, the cycle `published`,
 * and the traders and the ANM are told — one change with its events (R-NOTIFY-3).
 */
export async function publishStep(ports: CyclePorts, cycleId: string): Promise<void> {
  const cycle = await cycleOf(ports, cycleId, "Publish");
  const lookAhead = await lookAheadOf(ports, cycle);
  await publishAll(ports, cycle, lookAhead, false, "Publish", {
    to: "published",
    from: ["running", "markets-open"],
  });
}

/**
 * PublishOriginal (§10 fallback): the MOL as received is published for every constraint, so the
 * ANM always has one. Does not record a step of its own: the failing step stays named.
 */
export async function publishOriginalStep(
  ports: CyclePorts,
  cycleId: string,
  step = "PublishOriginal",
): Promise<void> {
  const cycle = await ports.cycles.getCycle(cycleId);
  if (!cycle) throw new CycleStateError(`cycle ${cycleId} does not exist`);
  if (cycle.status === "superseded" || cycle.status === "published") return;
  const body = await ports.cycles.loadLookAhead(cycleId);
  if (!body) return; // nothing was accepted, so there is nothing to fall back to
  try {
    await publishAll(ports, cycle, toLookAhead(LookAheadSchema.parse(body)), true, step);
  } catch (error) {
    // D-131: a superseded cycle never publishes over its successor; the successor publishes.
    if (error instanceof CycleSupersededError) return;
    throw error;
  }
}

/** Lambda's error document in a Catch `Cause`; only its type and message are kept. */
export function causeMessage(cause: string | undefined): string {
  if (!cause) return "";
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown; errorType?: unknown };
    if (typeof parsed.errorMessage === "string")
      return parsed.errorMessage.split("\n")[0]!.slice(0, 500);
  } catch {
    // not JSON: plain text
  }
  return cause.split("\n")[0]!.slice(0, 500);
}

/** MarkFailed: the cycle is `failed` with the step, error and cause the operator sees. */
export async function markFailedStep(
  ports: CyclePorts,
  cycleId: string,
  error: { Error: string; Cause?: string } | undefined,
  step = "MarkFailed",
): Promise<boolean> {
  const cycle = await ports.cycles.getCycle(cycleId);
  if (!cycle) throw new CycleStateError(`cycle ${cycleId} does not exist`);
  if (cycle.status !== "running" && cycle.status !== "markets-open") return false;
  const failure = {
    step: cycle.step ?? "unknown",
    error: error?.Error ?? "Unknown",
    cause: causeMessage(error?.Cause),
  };
  try {
    return await ports.cycles.transition(fenceOf(cycle), {
      from: ["running", "markets-open"],
      to: "failed",
      patch: { failure },
      audit: stepAudit(
        ports,
        cycle,
        step,
        "cycle.failed",
        "failed",
        `${failure.step}: ${failure.error}; the original MOL was published as the fallback`,
      ),
    });
  } catch (error) {
    if (error instanceof CycleSupersededError) return false; // its successor runs the day
    throw error;
  }
}

/** The order index has not caught up with the conditional writes yet: retried by the workflow. */
export class MarketIndexLagError extends DomainError {
  constructor(cycleId: string, seen: number, stored: number) {
    super(
      "MARKET_INDEX_LAG",
      `The market index shows ${seen} of the ${stored} markets of cycle ${cycleId} so far.`,
    );
    this.name = "MarketIndexLagError";
  }
}

export class OrderIndexLagError extends DomainError {
  constructor(key: string) {
    super("ORDER_INDEX_LAG", `The order index does not yet show every open order of ${key}.`);
    this.name = "OrderIndexLagError";
  }
}
