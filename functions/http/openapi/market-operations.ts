import * as z from "zod";
import { LookAheadSchema } from "../../core/model/look-ahead";
import { OrderAmendmentSchema, OrderRequestSchema } from "../../core/orders/order";
import {
  CycleAcceptedSchema,
  CycleSchema,
  DeliveryDateQuerySchema,
  ExecutionSchema,
  listOf,
  MarketSchema,
  MeritOrderQuerySchema,
  MeritOrderSchema,
  OpportunitySchema,
  OrderSchema,
  OrdersQuerySchema,
  TradeSchema,
} from "../schemas/market";
import type { RouteContract } from "./operations";

type Contract = RouteContract;

const ok = (description: string, schema: z.ZodType, status = "200") => ({
  [status]: { description, content: { "application/json": { schema } } },
});
const body = (schema: z.ZodType, example: unknown) => ({
  required: true,
  content: { "application/json": { schema, example } },
});

/** One value per SP of a 48-period day, from the SP number (1…48). */
const perSp = (value: (sp: number) => number) => Array.from({ length: 48 }, (_, i) => value(i + 1));
const inWindow = (sp: number, values: number[]) => (sp >= 25 && sp <= 28 ? values[sp - 25]! : 0);

/** The worked example's look-ahead (docs/worked-example.md), as an ANM system would post it. */
const LOOK_AHEAD_EXAMPLE = {
  lookAheadId: "LA-2027-06-14-001",
  anmSchemeId: "ENWL-ANM-01",
  deliveryDate: "2027-06-14",
  issuedAt: "2027-06-13T08:00:00+01:00",
  gateClosureAt: "2027-06-13T12:00:00+01:00",
  constraints: [
    {
      constraintId: "C1",
      name: "Bolton 33kV circuit 2",
      requiredCurtailmentMw: perSp((sp) => inWindow(sp, [4, 7, 7, 4])),
    },
  ],
  mols: [
    {
      constraintId: "C1",
      version: 17,
      entries: [
        ["G4-A", "G4", 5, 4.5],
        ["G3-B", "G3", 2, 1.5],
        ["G3-A", "G3", 4, 3.5],
        ["G2-A", "G2", 8, 6],
        ["G5-A", "G5", 3, 3],
        ["G1-A", "G1", 10, 8],
      ].map(([entryId, resourceId, capacityMw, forecast], i) => ({
        entryId,
        resourceId,
        capacityMw,
        forecastMw: perSp(() => forecast as number),
        curtailmentOrder: i + 1,
        ...(entryId === "G2-A"
          ? {
              flexibleServiceWindows: [
                { start: "2027-06-14T11:00:00+01:00", end: "2027-06-14T15:00:00+01:00" },
              ],
            }
          : {}),
      })),
    },
  ],
};
const path = (name: string) =>
  z.object({ [name]: z.string().meta({ description: `The ${name.replace(/Id$/, "")}'s id.` }) });
const idempotencyKey = z.object({
  "idempotency-key": z.string().max(255).optional().meta({
    description:
      "Optional. The same key (per caller) with the same body replays the first response; with another body 422 IDEMPOTENCY_KEY_REUSED.",
  }),
});

/** The market lists: `{ items, nextToken? }`, a page of `limit` (1–100, default 100) at a time. */
const list = (description: string, item: z.ZodType) =>
  ok(
    `${description} A page of \`limit\` items (default 100); \`nextToken\` when more follow.`,
    listOf(item),
  );

/** The documented contract of the day-ahead market routes. */
export const MARKET_OPERATIONS = {
  PostLookAhead: {
    summary: "Post tomorrow's constraint look-ahead and MOLs (R-IN-1..3)",
    tags: ["ANM interface"],
    requestParams: { header: idempotencyKey },
    requestBody: body(LookAheadSchema, LOOK_AHEAD_EXAMPLE),
    responses: ok(
      "Accepted: the cycle it started (or the original one on a replay).",
      CycleAcceptedSchema,
      "202",
    ),
    // NOT_FOUND: an ANM key bound to another scheme (D-195), exactly as for an unknown scheme.
    errors: ["LOOK_AHEAD_INVALID", "LOOK_AHEAD_CONFLICT", "GATE_CLOSED", "NOT_FOUND"],
  },
  GetMeritOrder: {
    summary: "The merit order of a constraint: provisional, then the published re-ordered MOL",
    tags: ["ANM interface"],
    requestParams: { query: MeritOrderQuerySchema },
    responses: ok("The MOL as received and its published segments.", MeritOrderSchema),
    // No MOL for that scheme, day and constraint, or another scheme than the ANM key's (D-195).
    errors: ["NOT_FOUND"],
  },
  ListOpportunities: {
    summary: "The caller's trading opportunities (R-ELIG-6)",
    tags: ["Trading"],
    requestParams: { query: DeliveryDateQuerySchema },
    responses: list(
      "Own opportunities in live markets, by market, side and entry.",
      OpportunitySchema,
    ),
  },
  ListMarkets: {
    summary: "Markets of a delivery day",
    tags: ["Trading"],
    requestParams: { query: DeliveryDateQuerySchema },
    responses: list("Markets in window order, then by market id.", MarketSchema),
  },
  GetMarket: {
    summary: "One market",
    tags: ["Trading"],
    requestParams: { path: path("marketId") },
    responses: ok("The market.", MarketSchema),
  },
  SubmitOrder: {
    summary: "Submit a bid or an offer (R-ORDER-1/2, R-GATE-1)",
    tags: ["Trading"],
    requestParams: { header: idempotencyKey },
    requestBody: body(OrderRequestSchema, {
      marketId: "mkt-3f9a0c2b71d4e5a6b8c9",
      entryId: "G5-A",
      side: "sell",
      quantityMw: 3,
      availabilityPrice: 10,
      utilisationPrice: 25,
      serviceType: "generation-turn-down",
    }),
    responses: ok("The order, open.", OrderSchema, "201"),
    errors: [
      "NOT_FOUND",
      "GATE_CLOSED",
      "MARKET_NOT_OPEN",
      "NOT_ELIGIBLE",
      "QUANTITY_EXCEEDS_CAPACITY",
      "PRICE_EXCEEDS_CAP",
    ],
  },
  ListOrders: {
    summary: "The caller's orders",
    tags: ["Trading"],
    requestParams: { query: OrdersQuerySchema },
    responses: list("Own orders, by market and order id.", OrderSchema),
  },
  GetOrder: {
    summary: "One of the caller's orders",
    tags: ["Trading"],
    requestParams: { path: path("orderId") },
    responses: ok("The order.", OrderSchema),
  },
  AmendOrder: {
    summary: "Amend an open order until gate closure (R-ORDER-3)",
    tags: ["Trading"],
    requestParams: { path: path("orderId"), header: idempotencyKey },
    requestBody: body(OrderAmendmentSchema, { quantityMw: 2.5 }),
    responses: ok("The amended order.", OrderSchema),
    errors: [
      "GATE_CLOSED",
      "MARKET_NOT_OPEN",
      "ORDER_NOT_OPEN",
      "QUANTITY_EXCEEDS_CAPACITY",
      "PRICE_EXCEEDS_CAP",
    ],
  },
  WithdrawOrder: {
    summary: "Withdraw an open order until gate closure (R-ORDER-3)",
    tags: ["Trading"],
    requestParams: { path: path("orderId"), header: idempotencyKey },
    responses: ok("The withdrawn order.", OrderSchema),
    errors: ["GATE_CLOSED", "MARKET_NOT_OPEN", "ORDER_NOT_OPEN"],
  },
  ListTrades: {
    summary: "Trades of a delivery day (participant: its own; operator: all)",
    tags: ["Trading"],
    requestParams: { query: DeliveryDateQuerySchema },
    responses: list(
      "Trades by window, market and matching order, once their cycle has published (a failed cycle's trades take no effect, D-298); a participant never sees its counterparty's participant id.",
      TradeSchema,
    ),
  },
  ListCycles: {
    summary: "Day-ahead cycles of a delivery day",
    tags: ["Operations"],
    requestParams: { query: DeliveryDateQuerySchema },
    responses: list("Cycles, oldest first.", CycleSchema),
  },
  GetCycle: {
    summary: "One cycle: status, current step, failure",
    tags: ["Operations"],
    requestParams: { path: path("cycleId") },
    responses: ok("The cycle.", CycleSchema),
  },
  GetCycleExecution: {
    summary: "The cycle's Step Functions execution and its history",
    tags: ["Operations"],
    requestParams: { path: path("cycleId") },
    responses: ok("Execution status and events.", ExecutionSchema),
  },
} satisfies Record<string, Contract>;
