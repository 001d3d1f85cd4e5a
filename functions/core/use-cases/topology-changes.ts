import { eligibleClaimsOfScheme } from "../access/entry-claims";
import type { Actor } from "../access/roles";
import { systemActor } from "../access/roles";
import type { PostTradeConfig } from "../config/post-trade-config";
import { postTradeConfigOf } from "../config/post-trade-config";
import { ConflictError, CycleStateError, DomainError, NotFoundError } from "../errors";
import type { LookAhead } from "../model/look-ahead";
import { recordInstant } from "../model/settlement-periods";
import type {
  Alerts,
  AssetStore,
  Clock,
  Cycle,
  CycleStore,
  EntryClaimStore,
  MarketStore,
  MeritOrderStore,
  ParticipantStore,
  SchemeConfigSource,
  StoredTopologyChange,
  StoredTrade,
  TopologyChangeStore,
  TradeStore,
} from "../ports";
import { fenceOf } from "../ports";
import type { PostTradeDay } from "../verification/day";
import { membershipOf } from "../verification/membership";
import { publishedDay } from "../verification/published-day";
import {
  type TopologyChangeBody,
  TopologyChangeInvalidError,
  topologyChangeProblems,
  toTopologyChange,
} from "../verification/topology-change";
import {
  applyTopologyChange,
  applyVeto,
  MeritOrderNotPublishedError,
  TopologyChangeConflictError,
} from "../verification/verify";
import { bookOf, inMatchingOrder, lookAheadOf } from "./cycle-steps";
import {
  meritOrderVersionView,
  topologyChangeView,
  tradeStatusView,
  vetoView,
} from "./post-trade-views";
import { tradesOfCycleInForce } from "./trades-in-force";

/** What day-of verification touches. */
export interface VerificationPorts {
  clock: Clock;
  cycles: CycleStore;
  markets: MarketStore;
  trades: TradeStore;
  meritOrders: MeritOrderStore;
  claims: EntryClaimStore;
  assets: Pick<AssetStore, "getMany">;
  participants: Pick<ParticipantStore, "getMany">;
  schemes: SchemeConfigSource;
  topologyChanges: TopologyChangeStore;
  alerts: Alerts;
}

type Ports<K extends keyof VerificationPorts> = Pick<VerificationPorts, K>;

/** The scheme-day's current cycle and its look-ahead, or undefined when it has none. */
async function currentOf(
  ports: Ports<"cycles">,
  anmSchemeId: string,
  deliveryDate: string,
): Promise<{ cycle: Cycle; lookAhead: LookAhead } | undefined> {
  const current = await ports.cycles.currentCycle(anmSchemeId, deliveryDate);
  const cycle = current && (await ports.cycles.getCycle(current.cycleId));
  if (!cycle) return undefined;
  return { cycle, lookAhead: await lookAheadOf(ports, cycle) };
}

/**
 * The day as the post-trade rules see it after every applied change before `upTo` (receive
 * order): the publication rebuilt from the cycle's stored look-ahead, book, trades and claims
 * (`publishedDay`, the same core code the day-ahead publication and `simulate --post-trade` run),
 * then each applied change folded in with its own receive time (R-VERIFY-2: re-processing gives
 * the same cancellations, versions and event ids). Returns the stored trades too.
 */
async function dayOf(
  ports: Ports<"cycles" | "markets" | "trades" | "claims" | "assets" | "participants">,
  cycle: Cycle,
  lookAhead: LookAhead,
  applied: ReadonlyArray<StoredTopologyChange>,
  config: PostTradeConfig,
): Promise<{ day: PostTradeDay; stored: StoredTrade[] }> {
  const [{ book }, stored, claims] = await Promise.all([
    bookOf(ports, cycle),
    tradesOfCycleInForce(ports, cycle),
    eligibleClaimsOfScheme(ports, cycle.anmSchemeId),
  ]);
  const { day } = publishedDay({
    lookAhead,
    book,
    trades: inMatchingOrder(stored),
    serviceTypes: new Map(),
    owners: new Map(claims.map((c) => [c.entryId, c.participantId])),
    publishedAtMs: cycle.gateClosureMs,
  });
  return { day: withHeldChanges(day, applied, lookAhead, config), stored };
}

/**
 * The day after each applied change and veto held for it (receive order, R-VERIFY-2), folded in
 * with its own receive time by the same core rules that applied it: the trades it cancelled or
 * vetoed, the versions it published and the change itself. Settlement and performance read the
 * day this way (D-296), so they see what verification did.
 */
export function withHeldChanges(
  day: PostTradeDay,
  applied: ReadonlyArray<StoredTopologyChange>,
  lookAhead: LookAhead,
  config: PostTradeConfig,
): PostTradeDay {
  let out = day;
  for (const held of applied) out = applyHeld(out, held, lookAhead, config).day;
  return out;
}

/** One held change or veto applied to the day (R-VERIFY-1..8), as the core rules say. */
function applyHeld(
  day: PostTradeDay,
  held: StoredTopologyChange,
  lookAhead: LookAhead,
  config: PostTradeConfig,
) {
  if (held.kind === "veto") {
    const out = applyVeto(day, held.body as VetoBody, held.receivedAtMs, config);
    return {
      ...out,
      result: vetoView(out.outcome) as Record<string, unknown>,
      cancelledCount: out.outcome.vetoedTradeIds.length,
    };
  }
  const out = applyTopologyChange(
    day,
    toTopologyChange(held.body as TopologyChangeBody, lookAhead),
    held.receivedAtMs,
    config,
  );
  return {
    ...out,
    result: topologyChangeView(out.day, out.outcome) as Record<string, unknown>,
    cancelledCount: out.outcome.cancelledTrades.length,
  };
}

type VetoBody = { marketId: string; reason: string };

/** The id under which a market's veto is held among its day's changes (D-264). */
export function vetoChangeId(marketId: string): string {
  return `veto:${marketId}`;
}

/**
 * `POST /anm/market-vetoes` (R-VERIFY-8): a veto of a matched market before the scheme's
 * deadline, held in the day's receive order with the topology changes (D-264) and applied as
 * one change: its trades `vetoed`, a version without them, `trade.cancelled` to each party, the
 * market marked vetoed. Checked against the day first, so a refusal (409 VETO_DEADLINE_PASSED,
 * 409 MARKET_NOT_VETOABLE, 404) stores nothing. A repeat returns the first result.
 */
export async function vetoMarket(
  ports: VerificationPorts,
  body: VetoBody,
  receivedAtMs: number,
  actor: Actor,
  mayActFor: (anmSchemeId: string) => boolean,
): Promise<{ created: boolean; result: Record<string, unknown> }> {
  const market = await ports.markets.getMarket(body.marketId);
  if (!market || !mayActFor(market.anmSchemeId)) throw new NotFoundError(`Market ${body.marketId}`);
  const { anmSchemeId, deliveryDate } = market;
  const id = vetoChangeId(market.marketId);
  const held = await ports.topologyChanges.get(anmSchemeId, deliveryDate, id);
  if (!held) {
    const current = await currentOf(ports, anmSchemeId, deliveryDate);
    if (!current || current.cycle.cycleId !== market.cycleId || market.status !== "matched")
      throw new ConflictError("MARKET_NOT_VETOABLE", "The market is not matched (R-VERIFY-8).");
    const config = await configOf(ports, current.cycle);
    const changes = await ports.topologyChanges.ofDay(anmSchemeId, deliveryDate);
    const { day } = await dayOf(
      ports,
      current.cycle,
      current.lookAhead,
      changes.filter((c) => c.state === "applied"),
      config,
    );
    // Refusals are the rule's, before anything is stored.
    applyVeto(day, body, receivedAtMs, config);
  }
  const { created } = held
    ? { created: false }
    : await ports.topologyChanges.receive(
        {
          kind: "veto",
          topologyChangeId: id,
          anmSchemeId,
          deliveryDate,
          body: { marketId: body.marketId, reason: body.reason },
          bodyHash: "",
        },
        () => Math.max(receivedAtMs, ports.clock.nowMs()),
      );
  const results = await processTopologyChanges(ports, anmSchemeId, deliveryDate, actor);
  const result = results.get(id);
  if (!result) throw new CycleStateError(`the veto of ${body.marketId} was not applied`);
  return { created, result };
}

async function configOf(ports: Ports<"schemes">, cycle: Cycle): Promise<PostTradeConfig> {
  return postTradeConfigOf(await ports.schemes.settingsFor(cycle.anmSchemeId, cycle.deliveryDate));
}

/**
 * `POST /anm/topology-changes` (R-VERIFY-1..7): checks the change against the day's look-ahead
 * (422 `TOPOLOGY_CHANGE_INVALID`, nothing stored), holds it once under its id in receive order
 * (R-VERIFY-2: another body is 409 `TOPOLOGY_CHANGE_CONFLICT`; before publication 409
 * `MERIT_ORDER_NOT_PUBLISHED`, R-VERIFY-7), then processes the day's changes in that order
 * ({@link processTopologyChanges}) and answers with this change's result. `created` is false
 * for a replay.
 */
export async function receiveTopologyChange(
  ports: VerificationPorts,
  body: TopologyChangeBody,
  receivedAtMs: number,
  actor: Actor,
): Promise<{ created: boolean; result: Record<string, unknown> }> {
  const { anmSchemeId, deliveryDate } = body;
  const current = await currentOf(ports, anmSchemeId, deliveryDate);
  if (!current)
    throw new TopologyChangeInvalidError([
      { path: "deliveryDate", message: "no look-ahead for this scheme and day (R-VERIFY-1)" },
    ]);
  const problems = topologyChangeProblems(body, current.lookAhead);
  if (problems.length > 0) throw new TopologyChangeInvalidError(problems);
  const change = toTopologyChange(body, current.lookAhead);
  const held = await ports.topologyChanges.get(anmSchemeId, deliveryDate, body.topologyChangeId);
  if (held && held.bodyHash !== change.bodyHash)
    throw new TopologyChangeConflictError(body.topologyChangeId);
  if (!held && current.cycle.status !== "published") throw new MeritOrderNotPublishedError();
  const { created, change: stored } = held
    ? { created: false, change: held }
    : await ports.topologyChanges.receive(
        {
          topologyChangeId: body.topologyChangeId,
          anmSchemeId,
          deliveryDate,
          body: body as unknown as Record<string, unknown>,
          bodyHash: change.bodyHash,
        },
        () => Math.max(receivedAtMs, ports.clock.nowMs()),
      );
  if (stored.bodyHash !== change.bodyHash)
    throw new TopologyChangeConflictError(body.topologyChangeId);
  const results = await processTopologyChanges(ports, anmSchemeId, deliveryDate, actor);
  const result = results.get(body.topologyChangeId);
  if (!result)
    throw new CycleStateError(`topology change ${body.topologyChangeId} was not applied`);
  return { created, result };
}

/**
 * Applies the scheme-day's changes that are not applied yet, one at a time in receive order
 * (R-VERIFY-2), each as one change with its versions, cancellations and events (R-VERIFY-6).
 * Every writer of the same change writes the same items (the rules are pure and each change
 * keeps its receive time), so the request that received a change and the stream consumer that
 * backs it up may both run. A failure marks the change `failed` (the last published version
 * stays in force), alerts the operator and is thrown; the next run starts from it again.
 * Returns the result of every applied change.
 */
export async function processTopologyChanges(
  ports: VerificationPorts,
  anmSchemeId: string,
  deliveryDate: string,
  actor: Actor = systemActor("TopologyChanges"),
): Promise<Map<string, Record<string, unknown>>> {
  const results = new Map<string, Record<string, unknown>>();
  for (;;) {
    const changes = await ports.topologyChanges.ofDay(anmSchemeId, deliveryDate);
    const next = changes.findIndex((c) => c.state !== "applied");
    for (const c of changes)
      if (c.state === "applied" && c.result) results.set(c.topologyChangeId, c.result);
    if (next < 0) return results;
    const pending = changes[next]!;
    try {
      results.set(
        pending.topologyChangeId,
        await applyOne(ports, changes.slice(0, next), pending, actor),
      );
    } catch (error) {
      // The operator sees the rule's message, never a store's internals.
      const message =
        error instanceof DomainError
          ? error.message
          : `processing failed (${error instanceof Error ? error.name : "error"}); it is retried`;
      const atMs = ports.clock.nowMs();
      await ports.topologyChanges.markFailed(pending, { error: message, atMs });
      await ports.alerts.alert(`Topology change ${pending.topologyChangeId} failed`, {
        anmSchemeId,
        deliveryDate,
        topologyChangeId: pending.topologyChangeId,
        error: message,
        at: recordInstant(atMs),
        inForce: "the last published merit-order versions stay in force",
      });
      throw error;
    }
  }
}

async function applyOne(
  ports: VerificationPorts,
  applied: ReadonlyArray<StoredTopologyChange>,
  pending: StoredTopologyChange,
  actor: Actor,
): Promise<Record<string, unknown>> {
  const current = await currentOf(ports, pending.anmSchemeId, pending.deliveryDate);
  if (!current)
    throw new CycleStateError(`no cycle for ${pending.anmSchemeId} ${pending.deliveryDate}`);
  const { cycle, lookAhead } = current;
  const config = await configOf(ports, cycle);
  const { day, stored } = await dayOf(ports, cycle, lookAhead, applied, config);
  const out = applyHeld(day, pending, lookAhead, config);
  const { result } = out;
  const newVersions = out.day.versions.slice(day.versions.length);
  // The versions this change replaces must be the ones stored: else the stored day is not the
  // one the rules rebuilt, and nothing is written.
  for (const v of newVersions) {
    const latest = await ports.meritOrders.latest(
      pending.anmSchemeId,
      pending.deliveryDate,
      v.constraintId,
    );
    const previous = v.supersedesVersion ?? 0;
    if (latest && latest.version !== previous && latest.version !== v.version)
      throw new CycleStateError(
        `constraint ${v.constraintId}: version ${latest.version} is stored, the day rebuilt has ${previous}`,
      );
  }
  const byId = new Map(stored.map((t) => [t.tradeId, t]));
  const cancelled = out.day.trades.filter(
    (t) =>
      t.cancellation &&
      day.trades.find((d) => d.trade.tradeId === t.trade.tradeId)?.status === "confirmed",
  );
  await ports.topologyChanges.apply({
    fence: fenceOf(cycle),
    change: pending,
    result,
    versions: newVersions.map((v) => ({
      anmSchemeId: pending.anmSchemeId,
      deliveryDate: pending.deliveryDate,
      constraintId: v.constraintId,
      version: v.version,
      cycleId: cycle.cycleId,
      baseVersion: lookAhead.mols.get(v.constraintId)?.version,
      publishedAtMs: v.publishedAtMs,
      fallback: false,
      segments: [...v.segments],
      reason: v.reason,
      supersedesVersion: v.supersedesVersion ?? 0,
      ...(v.topologyChangeId ? { topologyChangeId: v.topologyChangeId } : {}),
      cancelledTradeIds: [...v.cancelledTradeIds],
    })),
    cancellations: cancelled.map((t) => {
      const view = tradeStatusView(out.day, t);
      return {
        trade: byId.get(t.trade.tradeId)!,
        status: t.status === "vetoed" ? "vetoed" : "cancelled",
        cancellation: {
          cancellationReason: t.cancellation!.reason,
          cancelledFromSp: view.cancelledFromSp!,
          cancelledFrom: view.cancelledFrom!,
          validSpCount: view.validSpCount!,
          meritOrderVersion: view.meritOrderVersion!,
          ...(view.topologyChangeId ? { topologyChangeId: view.topologyChangeId } : {}),
        },
      };
    }),
    events: out.events,
    audit: {
      subject: `${pending.anmSchemeId}/${pending.deliveryDate}/${pending.topologyChangeId}`,
      action: pending.kind === "veto" ? "market.vetoed" : "topology-change.applied",
      actor,
      at: recordInstant(ports.clock.nowMs()),
      to: pending.kind === "veto" ? "vetoed" : String(result.effect),
      reason: `${out.cancelledCount} trade(s) ${pending.kind === "veto" ? "vetoed" : "cancelled"}, ${newVersions.length} version(s) published`,
    },
    ...(pending.kind === "veto"
      ? {
          marketVeto: {
            marketId: String((pending.body as VetoBody).marketId),
            vetoedAtMs: pending.receivedAtMs,
          },
        }
      : {}),
  });
  return result;
}

/** `GET /anm/topology-changes`: the scheme-day's changes with their state and result, by receive time then id. */
export async function listTopologyChanges(
  ports: Ports<"topologyChanges">,
  anmSchemeId: string,
  deliveryDate: string,
): Promise<StoredTopologyChange[]> {
  const changes = (await ports.topologyChanges.ofDay(anmSchemeId, deliveryDate)).filter(
    (c) => c.kind !== "veto",
  );
  return changes.sort(
    (a, b) =>
      a.receivedAtMs - b.receivedAtMs ||
      (a.topologyChangeId < b.topologyChangeId
        ? -1
        : a.topologyChangeId > b.topologyChangeId
          ? 1
          : 0),
  );
}

/**
 * `GET /anm/merit-order?version=` for a version a topology change published: the same view as
 * `simulate --post-trade` gives (`base` = the MOL in force after the change, R-VERIFY-5),
 * from the day rebuilt up to and including that change.
 */
export async function topologyVersionView(
  ports: VerificationPorts,
  anmSchemeId: string,
  deliveryDate: string,
  constraintId: string,
  version: number,
): Promise<Record<string, unknown> | undefined> {
  const current = await currentOf(ports, anmSchemeId, deliveryDate);
  if (!current) return undefined;
  const changes = (await ports.topologyChanges.ofDay(anmSchemeId, deliveryDate)).filter(
    (c) => c.state === "applied",
  );
  const config = await configOf(ports, current.cycle);
  const { day } = await dayOf(ports, current.cycle, current.lookAhead, changes, config);
  const v = day.versions.find((x) => x.constraintId === constraintId && x.version === version);
  if (!v) return undefined;
  const membership = membershipOf(day.lookAhead, day.changes);
  const change = day.changes.find((c) => c.change.topologyChangeId === v.topologyChangeId);
  const base = membership.at(constraintId, change?.outcome.cancellationIndex ?? 0)?.mol;
  return meritOrderVersionView(day, v, base);
}
