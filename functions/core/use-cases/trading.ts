import type { AuditEntry } from "../access/audit";
import { entryOwner } from "../access/entry-claims";
import type { Actor } from "../access/roles";
import { marketConfigOf } from "../config/market-config";
import {
  ConflictError,
  GateClosedError,
  NotEligibleError,
  NotFoundError,
  QuantityExceedsCapacityError,
} from "../errors";
import { recordInstant } from "../model/settlement-periods";
import { kwToMw, penceToGbp } from "../model/units";
import {
  amendOrder as amendCore,
  assertGateOpen,
  assertOrderAcceptable,
  type OrderAmendment,
  type OrderRequest,
  toOrder,
} from "../orders/order";
import type {
  AssetStore,
  EntryClaimStore,
  MarketStore,
  OrderStore,
  OrderWriteRefusal,
  SchemeConfigSource,
  StoredMarket,
  StoredOrder,
} from "../ports";

export interface TradingPorts {
  markets: MarketStore;
  orders: OrderStore;
  /** Who claims an entry (an entry the caller does not claim is a 404, D-19). */
  claims: EntryClaimStore;
  assets: Pick<AssetStore, "get">;
  schemes: SchemeConfigSource;
}

/** R-ORDER-1's price cap and the other settings of the market's scheme and day. */
async function configOf(ports: TradingPorts, market: StoredMarket) {
  return marketConfigOf(await ports.schemes.settingsFor(market.anmSchemeId, market.deliveryDate));
}

function refusal(code: OrderWriteRefusal, maxKw: number, order: StoredOrder): Error {
  if (code === "GATE_CLOSED") return new GateClosedError();
  if (code === "NOT_ELIGIBLE") return new NotEligibleError(order.entryId, order.side);
  if (code === "QUANTITY_EXCEEDS_CAPACITY") return new QuantityExceedsCapacityError(kwToMw(maxKw));
  return new ConflictError("ORDER_NOT_OPEN", "The order is no longer open; nothing was changed.");
}

/** The market an order may go to: visible, open, gate not closed at the receive time. */
async function openMarket(ports: TradingPorts, marketId: string, receivedAtMs: number) {
  const market = await ports.markets.getMarket(marketId);
  if (!market) throw new NotFoundError(`Market ${marketId}`);
  assertGateOpen(receivedAtMs, market.gateClosureMs);
  if (market.status !== "open")
    throw new ConflictError(
      "MARKET_NOT_OPEN",
      `Market ${marketId} is ${market.status}; it takes no orders.`,
    );
  return market;
}

/**
 * `POST /orders` (R-ORDER-1, R-ORDER-2, R-GATE-1). `receivedAtMs` is taken once when the request
 * arrives. The entry's open quantity is held within its max quantity by a conditional write, so
 * racing orders never exceed it.
 */
export async function submitOrder(
  ports: TradingPorts,
  participantId: string,
  request: OrderRequest,
  ids: { orderId: string; receivedAtMs: number },
  actor: Actor = { role: "participant", principalId: participantId },
): Promise<StoredOrder> {
  const market = await openMarket(ports, request.marketId, ids.receivedAtMs);
  const opportunity = await ports.markets.getOpportunity(
    market.cycleId,
    market.marketId,
    request.entryId,
    request.side,
  );
  if (!opportunity || opportunity.participantId !== participantId) {
    // An entry the caller does not claim is invisible (404); its own entry without an
    // opportunity on that side is NOT_ELIGIBLE (422).
    const owner = await entryOwner(ports, market.anmSchemeId, request.entryId);
    if (owner !== participantId) throw new NotFoundError(`Entry ${request.entryId}`);
    throw new NotEligibleError(request.entryId, request.side);
  }
  const order = toOrder(request, {
    orderId: ids.orderId,
    participantId,
    submittedAtMs: ids.receivedAtMs,
  });
  assertOrderAcceptable(order, opportunity, 0, await configOf(ports, market));
  const stored: StoredOrder = {
    ...order,
    cycleId: market.cycleId,
    deliveryDate: market.deliveryDate,
    status: "open",
    updatedAtMs: ids.receivedAtMs,
  };
  const refused = await ports.orders.placeOrder(
    stored,
    opportunity.maxQuantityKw,
    eligibilityOf(market, opportunity.assetId),
    {
      subject: stored.orderId,
      action: "order.placed",
      actor,
      at: recordInstant(ids.receivedAtMs),
      to: `open ${describeOrder(stored)}`,
    },
  );
  if (refused) throw refusal(refused, opportunity.maxQuantityKw, stored);
  return stored;
}

/** D-136: what the order transaction checks about the entry's claim and its participant. */
function eligibilityOf(market: StoredMarket, assetId: string) {
  return { anmSchemeId: market.anmSchemeId, deliveryDate: market.deliveryDate, assetId };
}

/** An order's terms as the audit trail records them (D-139): from/to of an amendment. */
export function describeOrder(
  order: Pick<StoredOrder, "quantityKw" | "availabilityPence" | "utilisationPence">,
): string {
  return `${kwToMw(order.quantityKw)} MW at £${penceToGbp(order.availabilityPence)}/MW/h + £${penceToGbp(order.utilisationPence)}/MWh`;
}

/** The audit record of an order write (D-139). */
function orderAudit(
  before: StoredOrder,
  after: StoredOrder,
  action: string,
  actor: Actor,
  atMs: number,
): AuditEntry {
  return {
    subject: after.orderId,
    action,
    actor,
    at: recordInstant(atMs),
    from: `${before.status} ${describeOrder(before)}`,
    to: `${after.status} ${describeOrder(after)}`,
  };
}

async function ownOpenOrder(ports: TradingPorts, participantId: string, orderId: string) {
  const order = await ports.orders.getOrder(orderId);
  if (!order || order.participantId !== participantId) throw new NotFoundError(`Order ${orderId}`);
  return order;
}

/** `PATCH /orders/{orderId}` (R-ORDER-3): priority kept only when the quantity goes down. */
export async function amendOrder(
  ports: TradingPorts,
  participantId: string,
  orderId: string,
  amendment: OrderAmendment,
  receivedAtMs: number,
  actor: Actor = { role: "participant", principalId: participantId },
): Promise<StoredOrder> {
  const before = await ownOpenOrder(ports, participantId, orderId);
  const market = await openMarket(ports, before.marketId, receivedAtMs);
  if (before.status !== "open")
    throw new ConflictError(
      "ORDER_NOT_OPEN",
      `Order ${orderId} is ${before.status}; nothing was changed.`,
    );
  const opportunity = await ports.markets.getOpportunity(
    market.cycleId,
    market.marketId,
    before.entryId,
    before.side,
  );
  if (!opportunity) throw new NotEligibleError(before.entryId, before.side);
  const amended = amendCore(before, amendment, receivedAtMs);
  assertOrderAcceptable(amended, opportunity, 0, await configOf(ports, market));
  const after: StoredOrder = { ...before, ...amended, updatedAtMs: receivedAtMs };
  const refused = await ports.orders.replaceOrder(
    before,
    after,
    opportunity.maxQuantityKw,
    eligibilityOf(market, opportunity.assetId),
    market,
    orderAudit(before, after, "order.amended", actor, receivedAtMs),
  );
  if (refused) throw refusal(refused, opportunity.maxQuantityKw, after);
  return after;
}

/** `DELETE /orders/{orderId}` (R-ORDER-3): withdrawn until gate closure. */
export async function withdrawOrder(
  ports: TradingPorts,
  participantId: string,
  orderId: string,
  receivedAtMs: number,
  actor: Actor = { role: "participant", principalId: participantId },
): Promise<StoredOrder> {
  const before = await ownOpenOrder(ports, participantId, orderId);
  const market = await openMarket(ports, before.marketId, receivedAtMs);
  if (before.status === "withdrawn") return before;
  if (before.status !== "open")
    throw new ConflictError(
      "ORDER_NOT_OPEN",
      `Order ${orderId} is ${before.status}; nothing was changed.`,
    );
  const after: StoredOrder = { ...before, status: "withdrawn", updatedAtMs: receivedAtMs };
  const refused = await ports.orders.replaceOrder(
    before,
    after,
    Number.MAX_SAFE_INTEGER,
    undefined,
    market,
    orderAudit(before, after, "order.withdrawn", actor, receivedAtMs),
  );
  if (refused) throw refusal(refused, 0, after);
  return after;
}
