import type { Caller } from "../access/roles";
import { DomainError, NotFoundError } from "../errors";
import { type Page, type PageRequest, pageOf } from "../model/paging";
import type {
  Cycle,
  CycleStatus,
  CycleStore,
  ExecutionStep,
  ExecutionSummary,
  MarketStore,
  MeritOrderStore,
  OrderStore,
  PublishedMeritOrder,
  StoredMarket,
  StoredOpportunity,
  StoredOrder,
  StoredTrade,
  TradeStore,
  WorkflowInspector,
} from "../ports";
import { causeMessage } from "./cycle-steps";
import { tradesOfCycleInForce, tradesOfParticipantInForce } from "./trades-in-force";

/**
 * What the market routes read. Lists read whole are paged in memory in a stable order (then by
 * id), so that pages neither repeat nor skip items; a participant sees only its own orders,
 * opportunities and trades, anything else exactly as a missing object (404).
 */
export interface MarketQueryPorts {
  cycles: CycleStore;
  markets: MarketStore;
  orders: OrderStore;
  trades: TradeStore;
  meritOrders: MeritOrderStore;
  workflow: WorkflowInspector;
}

type Ports<K extends keyof MarketQueryPorts> = Pick<MarketQueryPorts, K>;

/** `GET /markets/{marketId}`. */
export async function getMarket(ports: Ports<"markets">, marketId: string): Promise<StoredMarket> {
  const market = await ports.markets.getMarket(marketId);
  if (!market) throw new NotFoundError(`Market ${marketId}`);
  return market;
}

/** `GET /markets`: a delivery day's markets in window order, then by market id (one Query). */
export function listMarkets(
  ports: Ports<"markets">,
  deliveryDate: string,
  page: PageRequest,
): Promise<Page<StoredMarket>> {
  return ports.markets.listMarkets(deliveryDate, page);
}

/**
 * `GET /opportunities` (R-ELIG-6): the participant's own opportunities in live markets — of the
 * cycle that owns the market now (a superseded cycle's are gone) and not cancelled — by market,
 * side and entry, each with its market. One query per page (D-140): opportunities of markets no
 * longer live are dropped from the page they fall in, so a page may hold fewer than `limit`.
 */
export async function listOpportunities(
  ports: Ports<"markets">,
  participantId: string,
  deliveryDate: string,
  page: PageRequest,
): Promise<Page<{ opportunity: StoredOpportunity; market: StoredMarket }>> {
  const mine = await ports.markets.listOpportunitiesOfParticipant(
    participantId,
    deliveryDate,
    page,
  );
  const markets = new Map<string, StoredMarket | undefined>();
  for (const marketId of new Set(mine.items.map((o) => o.marketId)))
    markets.set(marketId, await ports.markets.getMarket(marketId));
  const live = mine.items.flatMap((opportunity) => {
    const market = markets.get(opportunity.marketId);
    return market !== undefined &&
      market.cycleId === opportunity.cycleId &&
      market.status !== "cancelled"
      ? [{ opportunity, market }]
      : [];
  });
  return { items: live, ...(mine.nextToken ? { nextToken: mine.nextToken } : {}) };
}

/**
 * `GET /orders`: a participant's own orders, of one market or all, by market and order id; for
 * the operator (D-151), the orders of one market in the cycle that owns it now.
 */
export async function listOrders(
  ports: Ports<"orders" | "markets">,
  caller: Caller,
  marketId: string | undefined,
  page: PageRequest,
): Promise<Page<StoredOrder>> {
  if (caller.role !== "operator")
    return ports.orders.listOrdersOfParticipant(caller.principalId, marketId, page);
  if (marketId === undefined)
    throw new DomainError("VALIDATION_FAILED", "The operator lists the orders of one market.", [
      { path: "marketId", message: "is required for the operator" },
    ]);
  const market = await ports.markets.getMarket(marketId);
  if (!market) throw new NotFoundError(`Market ${marketId}`);
  return ports.orders.listOrdersOfMarket(marketId, market.cycleId, page);
}

/** `GET /orders/{orderId}`: the participant's own order; anyone else's is 404. */
export async function getOrder(
  ports: Ports<"orders">,
  participantId: string,
  orderId: string,
): Promise<StoredOrder> {
  const order = await ports.orders.getOrder(orderId);
  if (!order || order.participantId !== participantId) throw new NotFoundError(`Order ${orderId}`);
  return order;
}

/**
 * `GET /trades`: the trades of a delivery day a participant is party to, or all of them for the
 * operator, by window, market and matching order — those that took effect (a published cycle's,
 * D-298).
 */
export async function listTrades(
  ports: Ports<"cycles" | "trades">,
  caller: Caller,
  deliveryDate: string,
  page: PageRequest,
): Promise<Page<StoredTrade>> {
  let found: StoredTrade[];
  if (caller.role === "operator") {
    const cycles = await ports.cycles.cyclesOfDay(deliveryDate);
    found = (await Promise.all(cycles.map((c) => tradesOfCycleInForce(ports, c)))).flat();
  } else {
    found = await tradesOfParticipantInForce(ports, caller.principalId, deliveryDate);
  }
  const unique = [...new Map(found.map((t) => [t.tradeId, t])).values()];
  return pageOf(unique, page, {
    list: "trades",
    scope: deliveryDate,
    keyTypes: ["number", "string", "number", "string"],
    keyOf: (t) => [t.windowStartMs, t.marketId, t.sequence, t.tradeId],
  });
}

/** `GET /cycles`: a delivery day's cycles (optionally of one status), oldest first (D-151). */
export function listCycles(
  ports: Ports<"cycles">,
  deliveryDate: string,
  status: CycleStatus | undefined,
  page: PageRequest,
): Promise<Page<Cycle>> {
  return ports.cycles.listCycles(deliveryDate, status, page);
}

/** `GET /cycles/{cycleId}`: status, current step, failure. */
export async function getCycle(ports: Ports<"cycles">, cycleId: string): Promise<Cycle> {
  const cycle = await ports.cycles.getCycle(cycleId);
  if (!cycle) throw new NotFoundError(`Cycle ${cycleId}`);
  return cycle;
}

/**
 * `GET /cycles/{cycleId}/execution`: the cycle's workflow execution and its history. Lambda error
 * documents carry stack traces: only their message reaches the operator.
 */
export async function cycleExecution(
  ports: Ports<"cycles" | "workflow">,
  cycleId: string,
): Promise<ExecutionSummary & { events: ExecutionStep[] }> {
  const cycle = await ports.cycles.getCycle(cycleId);
  if (!cycle?.executionArn) throw new NotFoundError(`An execution of cycle ${cycleId}`);
  const [summary, events] = await Promise.all([
    ports.workflow.describe(cycle.executionArn),
    ports.workflow.history(cycle.executionArn),
  ]);
  // D-152: the workflow service no longer has it (the local endpoint keeps executions in memory).
  if (summary === undefined || events === undefined)
    throw new NotFoundError(`The execution of cycle ${cycleId}`);
  const clean = <T extends { cause?: string }>(e: T): T =>
    e.cause === undefined ? e : { ...e, cause: causeMessage(e.cause) };
  return { ...clean(summary), events: events.map(clean) };
}

/** A constraint's MOL for the ANM: as received, and once published its re-ordered version. */
export interface MeritOrderState {
  base: { entries: unknown[]; version: number | undefined };
  /** The version published by the scheme's current cycle, if it has published. */
  published: PublishedMeritOrder | undefined;
}

/**
 * `GET /anm/merit-order`: the MOL of one constraint for a scheme's delivery day, as received
 * with the current cycle's look-ahead, and the version that cycle published (R-REORDER-6).
 */
export async function meritOrderOf(
  ports: Ports<"cycles" | "meritOrders">,
  anmSchemeId: string,
  deliveryDate: string,
  constraintId: string,
  version?: number,
): Promise<MeritOrderState> {
  const current = await ports.cycles.currentCycle(anmSchemeId, deliveryDate);
  const body = current && (await ports.cycles.loadLookAhead(current.cycleId));
  if (!current || !body?.constraints.some((c) => c.constraintId === constraintId))
    throw new NotFoundError(`A merit order for ${anmSchemeId} ${deliveryDate} ${constraintId}`);
  const mol = body.mols.find((m) => m.constraintId === constraintId);
  // R-REORDER-6: any published version can be read again; the latest is the one in force.
  const published =
    version === undefined
      ? await ports.meritOrders.latest(anmSchemeId, deliveryDate, constraintId)
      : await ports.meritOrders.version(anmSchemeId, deliveryDate, constraintId, version);
  if (version !== undefined && published?.cycleId !== current.cycleId)
    throw new NotFoundError(
      `Version ${version} of the merit order for ${anmSchemeId} ${deliveryDate} ${constraintId}`,
    );
  return {
    base: { entries: mol?.entries ?? [], version: mol?.version },
    published: published?.cycleId === current.cycleId ? published : undefined,
  };
}
