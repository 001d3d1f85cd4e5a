import { type PostTradeConfig, postTradeConfigOf } from "../config/post-trade-config";
import type { Trade } from "../matching/match";
import { addDays } from "../model/calendar";
import { LookAheadSchema, toLookAhead } from "../model/look-ahead";
import type { Market } from "../opportunities/derive";
import type { ServiceType } from "../orders/order";
import type { PostDeliveryInputs } from "../performance/day-context";
import type { MeterUpload } from "../performance/meter-readings";
import type {
  ActualsStore,
  AssetStore,
  Cycle,
  CycleStore,
  EntryClaimStore,
  MarketStore,
  MeritOrderStore,
  MeterReadingStore,
  NominationStore,
  OrderStore,
  PublishedMeritOrder,
  SchemeConfigSource,
  SchemeDay,
  StoredTrade,
  TopologyChangeStore,
  TradeStore,
} from "../ports";
import {
  compareTrades,
  type DayTrade,
  type MeritOrderVersion,
  type PostTradeDay,
} from "../verification/day";
import { placeTrades } from "./day-ahead";
import { withHeldChanges } from "./topology-changes";
import { tradesOfCycleInForce, tradesOfParticipantInForce } from "./trades-in-force";

/**
 * The stored day as the rules after delivery read it (`verification/day.ts`): the look-ahead of
 * the scheme-day's current cycle, its markets and trades, the latest published merit-order
 * version of each constraint (R-UNIT-3 units in force), the entries' owners; and the inputs held
 * (actuals, meter readings, nominations). The same core rules then run as in
 * `npm run simulate -- --post-trade`.
 */
export interface PostTradeDayPorts {
  cycles: Pick<CycleStore, "currentCycle" | "getCycle" | "loadLookAhead" | "cyclesOfDay">;
  markets: Pick<MarketStore, "listMarketsOfCycle" | "listOpportunitiesOfCycle">;
  trades: Pick<TradeStore, "listTradesOfCycle" | "listTradesOfParticipant">;
  orders: Pick<OrderStore, "getOrders">;
  meritOrders: Pick<MeritOrderStore, "latestAll" | "version">;
  claims: EntryClaimStore;
  assets: Pick<AssetStore, "getMany">;
  schemes: SchemeConfigSource;
  topologyChanges: Pick<TopologyChangeStore, "ofDay">;
}

export interface PostTradeInputPorts extends PostTradeDayPorts {
  actuals: Pick<ActualsStore, "ofDay">;
  meters: Pick<MeterReadingStore, "ofDay" | "ofEntry">;
  nominations: Pick<NominationStore, "ofDay">;
}

/** `<scheme>/<date>`: how a run and the ledger name a scheme-day. */
export function schemeDayKey(day: SchemeDay): string {
  return `${day.anmSchemeId}/${day.deliveryDate}`;
}

export function schemeDayOf(key: string): SchemeDay {
  const at = key.lastIndexOf("/");
  return { anmSchemeId: key.slice(0, at), deliveryDate: key.slice(at + 1) };
}

/** The scheme's §18 settings for a day (the defaults where it has set nothing). */
export async function postTradeConfigFor(
  ports: Pick<PostTradeDayPorts, "schemes">,
  day: SchemeDay,
): Promise<PostTradeConfig> {
  return postTradeConfigOf(await ports.schemes.settingsFor(day.anmSchemeId, day.deliveryDate));
}

const marketOf = (m: Market): Market => ({
  marketId: m.marketId,
  anmSchemeId: m.anmSchemeId,
  deliveryDate: m.deliveryDate,
  constraintId: m.constraintId,
  windowStartMs: m.windowStartMs,
  windowEndMs: m.windowEndMs,
  firstIndex: m.firstIndex,
  endIndex: m.endIndex,
  constraintSizeKw: m.constraintSizeKw,
  energyWh: m.energyWh,
  gateClosureMs: m.gateClosureMs,
  depth: { buyKw: m.depth.buyKw, sellKw: m.depth.sellKw },
});

const tradeOf = (t: StoredTrade): Trade => ({
  tradeId: t.tradeId,
  marketId: t.marketId,
  sequence: t.sequence,
  buyOrderId: t.buyOrderId,
  sellOrderId: t.sellOrderId,
  buyEntryId: t.buyEntryId,
  sellEntryId: t.sellEntryId,
  buyParticipantId: t.buyParticipantId,
  sellParticipantId: t.sellParticipantId,
  quantityKw: t.quantityKw,
  availabilityPence: t.availabilityPence,
  utilisationPence: t.utilisationPence,
});

/**
 * The scheme-day as published, or undefined while it has none (no look-ahead, or gate closure
 * not reached: nothing is published before the cycle's Publish or PublishOriginal step), with
 * every topology change and veto applied to it since (R-VERIFY-1..8, D-296): the day-ahead
 * versions, then each applied change folded in by the same rules that applied it, so trades are
 * confirmed, cancelled from their SP or vetoed and each version is the one published. Each
 * trade's service type is its offer's (R-ORDER-1).
 */
export async function publishedDayOf(
  ports: PostTradeDayPorts,
  key: SchemeDay,
): Promise<{ day: PostTradeDay; cycle: Cycle } | undefined> {
  const current = await ports.cycles.currentCycle(key.anmSchemeId, key.deliveryDate);
  if (!current) return undefined;
  const cycle = await ports.cycles.getCycle(current.cycleId);
  if (!cycle || (cycle.status !== "published" && cycle.status !== "failed")) return undefined;
  const body = await ports.cycles.loadLookAhead(cycle.cycleId);
  if (!body) return undefined;
  const lookAhead = toLookAhead(LookAheadSchema.parse(body));
  const [latest, stored, opportunities, storedTrades, claims, held] = await Promise.all([
    ports.meritOrders.latestAll(
      key.anmSchemeId,
      key.deliveryDate,
      lookAhead.constraints.map((c) => c.constraintId),
    ),
    ports.markets.listMarketsOfCycle(cycle.cycleId),
    ports.markets.listOpportunitiesOfCycle(cycle.cycleId),
    tradesOfCycleInForce(ports, cycle),
    ports.claims.claimsOfScheme(key.anmSchemeId),
    ports.topologyChanges.ofDay(key.anmSchemeId, key.deliveryDate),
  ]);
  if (latest.length === 0) return undefined;
  const applied = held.filter((c) => c.state === "applied");
  // The day-ahead version of each constraint: the changes below publish the later ones again.
  const published = await Promise.all(latest.map((p) => dayAheadVersionOf(ports, p)));
  const markets = stored
    .map(marketOf)
    .sort(
      (a, b) =>
        a.windowStartMs - b.windowStartMs ||
        (a.marketId < b.marketId ? -1 : a.marketId > b.marketId ? 1 : 0),
    );
  const byMarket = new Map(markets.map((m) => [m.marketId, m]));
  const trades = storedTrades.map(tradeOf);
  const offers = await ports.orders.getOrders(trades.map((t) => t.sellOrderId));
  const serviceTypes = new Map<string, ServiceType>(
    offers.map((o) => [o.orderId, o.serviceType ?? "generation-turn-down"]),
  );
  const book = { markets, opportunities, unresolvable: [] };
  const dayTrades = placeTrades(book, trades)
    .map(
      (p): DayTrade => ({
        trade: p.trade,
        market: byMarket.get(p.trade.marketId)!,
        serviceType: serviceTypes.get(p.trade.sellOrderId) ?? "generation-turn-down",
        constraintIds: [...new Set(p.constraintIds)],
        status: "confirmed",
      }),
    )
    .sort(compareTrades);
  const versions = published.map(
    (p): MeritOrderVersion => ({
      constraintId: p.constraintId,
      version: p.version,
      reason: p.fallback ? "fallback" : "day-ahead",
      supersedesVersion: p.version > 1 ? p.version - 1 : null,
      cancelledTradeIds: [],
      segments: p.segments,
      publishedAtMs: p.publishedAtMs,
    }),
  );
  const assets = new Map(
    (await ports.assets.getMany(claims.map((c) => c.assetId))).map((a) => [a.assetId, a]),
  );
  const owners = new Map<string, string>();
  for (const c of claims) {
    const asset = assets.get(c.assetId);
    if (asset && asset.status !== "rejected") owners.set(c.entryId, asset.participantId);
  }
  const day: PostTradeDay = {
    lookAhead,
    markets,
    trades: dayTrades,
    versions,
    changes: [],
    vetoes: [],
    owners,
  };
  if (applied.length === 0) return { cycle, day };
  const config = await postTradeConfigFor(ports, key);
  return { cycle, day: withHeldChanges(day, applied, lookAhead, config) };
}

const VERIFICATION_REASONS = new Set(["topology-change", "dno-veto"]);

/** The version a constraint's verification versions descend from (R-VERIFY-5: `supersedesVersion`). */
async function dayAheadVersionOf(
  ports: Pick<PostTradeDayPorts, "meritOrders">,
  latest: PublishedMeritOrder,
): Promise<PublishedMeritOrder> {
  let at = latest;
  while (at.reason !== undefined && VERIFICATION_REASONS.has(at.reason) && at.supersedesVersion) {
    const previous = await ports.meritOrders.version(
      at.anmSchemeId,
      at.deliveryDate,
      at.constraintId,
      at.supersedesVersion,
    );
    if (!previous) break;
    at = previous;
  }
  return at;
}

/**
 * The inputs held for a published day (R-PERF-1..5): its ANM actuals, meter uploads and
 * nominations; for each demand-turn-up seller (R-PERF-5) also its readings and event days over
 * the scheme's look-back. `asOfMs` decides which of them count (R-PERF-11, R-SETTLE-7).
 */
export async function dayInputsOf(
  ports: PostTradeInputPorts,
  day: PostTradeDay,
  asOfMs: number,
): Promise<PostDeliveryInputs> {
  const key = { anmSchemeId: day.lookAhead.anmSchemeId, deliveryDate: day.lookAhead.deliveryDate };
  const config = await postTradeConfigFor(ports, key);
  const [actuals, uploads, nominations] = await Promise.all([
    ports.actuals.ofDay(key),
    ports.meters.ofDay(key),
    ports.nominations.ofDay(key),
  ]);
  const demand = day.trades.filter((t) => t.serviceType === "demand-turn-up");
  const eventDays = new Map<string, Set<string>>();
  const history: MeterUpload[] = [];
  const from = addDays(key.deliveryDate, -config.baseline.lookbackDays);
  const until = addDays(key.deliveryDate, -1);
  // Each look-back day's cycles are read once, however many demand sellers look back over it.
  const cyclesOfDay = new Map<string, ReturnType<CycleStore["cyclesOfDay"]>>();
  const lookBack = {
    trades: ports.trades,
    cycles: {
      cyclesOfDay: (date: string) => {
        const read = cyclesOfDay.get(date) ?? ports.cycles.cyclesOfDay(date);
        cyclesOfDay.set(date, read);
        return read;
      },
    },
  };
  for (const entryId of new Set(demand.map((t) => t.trade.sellEntryId))) {
    history.push(...(await ports.meters.ofEntry(entryId, from, until)));
    const seller = demand.find((t) => t.trade.sellEntryId === entryId)!.trade.sellParticipantId;
    const days = new Set<string>();
    for (let d = from; d <= until; d = addDays(d, 1))
      if (
        (await tradesOfParticipantInForce(lookBack, seller, d)).some(
          (t) => t.sellEntryId === entryId || t.buyEntryId === entryId,
        )
      )
        days.add(d);
    eventDays.set(entryId, days);
  }
  return {
    day,
    actuals,
    uploads: [...history, ...uploads],
    nominations,
    eventDays,
    config,
    asOfMs,
  };
}

/**
 * The scheme-days of some delivery dates that have a published day-ahead cycle (the current
 * cycle of each scheme, published or fallen back), in date then scheme order.
 */
export async function publishedSchemeDays(
  ports: Pick<PostTradeDayPorts, "cycles">,
  dates: ReadonlyArray<string>,
): Promise<SchemeDay[]> {
  const out: SchemeDay[] = [];
  for (const deliveryDate of dates) {
    const cycles = await ports.cycles.cyclesOfDay(deliveryDate);
    const schemes = [...new Set(cycles.map((c) => c.anmSchemeId))].sort();
    for (const anmSchemeId of schemes) {
      const current = cycles.find(
        (c) =>
          c.anmSchemeId === anmSchemeId &&
          (c.status === "published" || c.status === "failed") &&
          c.supersededBy === undefined,
      );
      if (current) out.push({ anmSchemeId, deliveryDate });
    }
  }
  return out;
}
