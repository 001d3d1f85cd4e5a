import { z } from "zod";
import type { ZodOpenApiOperationObject } from "zod-openapi";
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

type Contract = Omit<ZodOpenApiOperationObject, "operationId" | "security">;

const ok = (description: string, schema: z.ZodType, status = "200") => ({
  [status]: { description, content: { "application/json": { schema } } },
});
const body = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
const path = (name: string) => z.object({ [name]: z.string() });

/** The documented contract of the day-ahead market routes (issue 5). */
export const MARKET_OPERATIONS = {
  PostLookAhead: {
    summary: "Post tomorrow's constraint look-ahead and MOLs (R-IN-1..3)",
    tags: ["ANM interface"],
    requestBody: body(LookAheadSchema),
    responses: ok(
      "Accepted: the cycle it started (or the original one on a replay).",
      CycleAcceptedSchema,
      "202",
    ),
  },
  GetMeritOrder: {
    summary: "The merit order of a constraint: provisional, then the published re-ordered MOL",
    tags: ["ANM interface"],
    requestParams: { query: MeritOrderQuerySchema },
    responses: ok("The MOL as received and its published segments.", MeritOrderSchema),
  },
  ListOpportunities: {
    summary: "The caller's trading opportunities (R-ELIG-6)",
    tags: ["Trading"],
    requestParams: { query: DeliveryDateQuerySchema },
    responses: ok("Own opportunities in live markets.", listOf(OpportunitySchema)),
  },
  ListMarkets: {
    summary: "Markets of a delivery day",
    tags: ["Trading"],
    requestParams: { query: DeliveryDateQuerySchema },
    responses: ok("Markets in window order.", listOf(MarketSchema)),
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
    requestBody: body(OrderRequestSchema),
    responses: ok("The order, open.", OrderSchema, "201"),
  },
  ListOrders: {
    summary: "The caller's orders",
    tags: ["Trading"],
    requestParams: { query: OrdersQuerySchema },
    responses: ok("Own orders.", listOf(OrderSchema)),
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
    requestParams: { path: path("orderId") },
    requestBody: body(OrderAmendmentSchema),
    responses: ok("The amended order.", OrderSchema),
  },
  WithdrawOrder: {
    summary: "Withdraw an open order until gate closure (R-ORDER-3)",
    tags: ["Trading"],
    requestParams: { path: path("orderId") },
    responses: ok("The withdrawn order.", OrderSchema),
  },
  ListTrades: {
    summary: "Trades of a delivery day (participant: its own; operator: all)",
    tags: ["Trading"],
    requestParams: { query: DeliveryDateQuerySchema },
    responses: ok(
      "Trades; a participant never sees its counterparty's participant id.",
      listOf(TradeSchema),
    ),
  },
  ListCycles: {
    summary: "Day-ahead cycles of a delivery day",
    tags: ["Operations"],
    requestParams: { query: DeliveryDateQuerySchema },
    responses: ok("Cycles, oldest first.", listOf(CycleSchema)),
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
