import * as z from "zod";
import type { MarketConfig } from "../config/market-config";
import {
  GateClosedError,
  NotEligibleError,
  PriceExceedsCapError,
  QuantityExceedsCapacityError,
} from "../errors";
import { clientId, gbpPrice, mwNumber } from "../model/fields";
import { gbpToPence, kwToMw, mwToKw, penceToGbp } from "../model/units";
import type { Opportunity, Side } from "../opportunities/derive";

/** R-ORDER-1: what an offer provides. */
export const SERVICE_TYPES = ["generation-turn-down", "demand-turn-up"] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** A positive quantity in MW with at most 3 decimals. */
const positiveMw = mwNumber.refine((v) => v > 0, { message: "must be > 0" });

/** Documentation of the two prices: units, decimals and the default cap (R-UNIT-2, R-ORDER-1). */
const AVAILABILITY_PRICE = {
  description:
    "Availability price in £/MW/h, ≥ 0, at most 2 decimals, at most the scheme's price cap (default £10,000; above it 422 PRICE_EXCEEDS_CAP, D-12).",
  maximum: 10_000,
} as const;
const UTILISATION_PRICE = {
  description:
    "Utilisation price in £/MWh, ≥ 0, at most 2 decimals, at most the scheme's price cap (default £10,000; above it 422 PRICE_EXCEEDS_CAP, D-12).",
  maximum: 10_000,
} as const;

/**
 * The body of `POST /orders` (api.md "Trading"). An offer must name its `serviceType`
 * (R-ORDER-1); a bid must not.
 */
export const OrderRequestSchema = z
  .strictObject({
    marketId: clientId.meta({ description: "The market (from GET /opportunities)." }),
    entryId: clientId.meta({
      description: "One of the caller's entries with an opportunity on this side.",
    }),
    side: z.enum(["buy", "sell"]).meta({ description: "buy: a bid; sell: an offer." }),
    quantityMw: positiveMw.meta({
      description:
        "Quantity in MW, > 0, at most 3 decimals; the entry's open orders in the market never exceed its max quantity (R-ORDER-2).",
    }),
    availabilityPrice: gbpPrice.meta(AVAILABILITY_PRICE),
    utilisationPrice: gbpPrice.meta(UTILISATION_PRICE),
    serviceType: z.enum(SERVICE_TYPES).optional().meta({
      description:
        "An offer's service: generation-turn-down or demand-turn-up (required on offers, refused on bids; D-11).",
    }),
  })
  .superRefine((o, ctx) => {
    if (o.side === "sell" && !o.serviceType)
      ctx.addIssue({
        code: "custom",
        path: ["serviceType"],
        message: "an offer must name its serviceType (R-ORDER-1)",
      });
    if (o.side === "buy" && o.serviceType)
      ctx.addIssue({
        code: "custom",
        path: ["serviceType"],
        message: "only offers carry a serviceType (R-ORDER-1)",
      });
  });
export type OrderRequest = z.infer<typeof OrderRequestSchema>;

/** The body of `PATCH /orders/{orderId}` (R-ORDER-3): any of quantity and prices. */
export const OrderAmendmentSchema = z
  .strictObject({
    quantityMw: positiveMw.optional().meta({
      description:
        "New quantity in MW (> 0, at most 3 decimals); raising it loses time priority (R-ORDER-3).",
    }),
    availabilityPrice: gbpPrice.optional().meta(AVAILABILITY_PRICE),
    utilisationPrice: gbpPrice.optional().meta(UTILISATION_PRICE),
  })
  .refine((a) => Object.keys(a).length > 0, { message: "name at least one field to change" });
export type OrderAmendment = z.infer<typeof OrderAmendmentSchema>;

/** An order inside the core: integer kW and pence, instants in epoch ms. */
export interface Order {
  orderId: string;
  marketId: string;
  participantId: string;
  entryId: string;
  side: Side;
  quantityKw: number;
  /** £/MW/h in pence. */
  availabilityPence: number;
  /** £/MWh in pence. */
  utilisationPence: number;
  serviceType?: ServiceType;
  /** Time priority (R-MATCH-1, R-ORDER-3). */
  submittedAtMs: number;
}

/** R-ORDER-1: total price = availability + utilisation, pence. */
export function totalPence(order: Pick<Order, "availabilityPence" | "utilisationPence">): number {
  return order.availabilityPence + order.utilisationPence;
}

/** Converts a validated request into a core order. */
export function toOrder(
  request: OrderRequest,
  ids: { orderId: string; participantId: string; submittedAtMs: number },
): Order {
  const order: Order = {
    orderId: ids.orderId,
    marketId: request.marketId,
    participantId: ids.participantId,
    entryId: request.entryId,
    side: request.side,
    quantityKw: mwToKw(request.quantityMw),
    availabilityPence: gbpToPence(request.availabilityPrice),
    utilisationPence: gbpToPence(request.utilisationPrice),
    submittedAtMs: ids.submittedAtMs,
  };
  if (request.serviceType) order.serviceType = request.serviceType;
  return order;
}

/** R-GATE-1: the receive time is taken once; at or after gate closure nothing changes. */
export function assertGateOpen(receivedAtMs: number, gateClosureMs: number): void {
  if (receivedAtMs >= gateClosureMs) throw new GateClosedError();
}

/**
 * R-ORDER-1 and R-ORDER-2 for a new or amended order: the caller's entry has an opportunity on
 * that side in that market, both prices are within the cap, and the entry's open quantity in the
 * market including this order stays within its max quantity. `otherOpenKw` excludes this order.
 */
export function assertOrderAcceptable(
  order: Order,
  opportunity: Opportunity | undefined,
  otherOpenKw: number,
  config: Pick<MarketConfig, "priceCapPence">,
): void {
  if (
    !opportunity ||
    opportunity.participantId !== order.participantId ||
    opportunity.marketId !== order.marketId ||
    opportunity.entryId !== order.entryId ||
    opportunity.side !== order.side
  )
    throw new NotEligibleError(order.entryId, order.side);
  if (order.availabilityPence > config.priceCapPence)
    throw new PriceExceedsCapError("availabilityPrice", penceToGbp(config.priceCapPence));
  if (order.utilisationPence > config.priceCapPence)
    throw new PriceExceedsCapError("utilisationPrice", penceToGbp(config.priceCapPence));
  if (otherOpenKw + order.quantityKw > opportunity.maxQuantityKw)
    throw new QuantityExceedsCapacityError(kwToMw(opportunity.maxQuantityKw), kwToMw(otherOpenKw));
}

/**
 * R-ORDER-3: applies an amendment. Changing a price or raising the quantity loses time priority
 * (new `submittedAt` = the receive time); lowering the quantity keeps it.
 */
export function amendOrder(order: Order, amendment: OrderAmendment, receivedAtMs: number): Order {
  const next: Order = { ...order };
  if (amendment.quantityMw !== undefined) next.quantityKw = mwToKw(amendment.quantityMw);
  if (amendment.availabilityPrice !== undefined)
    next.availabilityPence = gbpToPence(amendment.availabilityPrice);
  if (amendment.utilisationPrice !== undefined)
    next.utilisationPence = gbpToPence(amendment.utilisationPrice);
  const losesPriority =
    next.availabilityPence !== order.availabilityPence ||
    next.utilisationPence !== order.utilisationPence ||
    next.quantityKw > order.quantityKw;
  if (losesPriority) next.submittedAtMs = receivedAtMs;
  return next;
}
