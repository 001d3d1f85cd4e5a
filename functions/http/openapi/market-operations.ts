import * as z from "zod";
import type { ZodOpenApiOperationObject } from "zod-openapi";
import { LookAheadSchema } from "../../core/model/look-ahead";
import { OrderAmendmentSchema, OrderRequestSchema } from "../../core/orders/order";
import { PROBLEM_CONTENT_TYPE } from "../problem";
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
import { ProblemSchema } from "../schemas/problem";

type Contract = Omit<ZodOpenApiOperationObject, "operationId" | "security">;

const ok = (description: string, schema: z.ZodType, status = "200") => ({
  [status]: { description, content: { "application/json": { schema } } },
});
const body = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
const path = (name: string) => z.object({ [name]: z.string() });
const idempotencyKey = z.object({
  "idempotency-key": z.string().max(255).optional().meta({
    description:
      "Optional. The same key (per caller) with the same body replays the first response; with another body 422 IDEMPOTENCY_KEY_REUSED.",
  }),
});
const problem = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
});
/** What the order writes may answer besides success (their own codes are in api.md). */
const ORDER_WRITE_ERRORS = {
  "422": problem(
    "NOT_ELIGIBLE, QUANTITY_EXCEEDS_CAPACITY, PRICE_EXCEEDS_CAP, or IDEMPOTENCY_KEY_REUSED.",
  ),
  "503": problem(
    "TEMPORARILY_UNAVAILABLE: contention or throttling outlived the retries; nothing was changed. Retry after the Retry-After header's seconds.",
  ),
};

/** The market lists: `{ items, nextToken? }`, a page of `limit` (1–100, default 100) at a time. */
const list = (description: string, item: z.ZodType) => ({
  ...ok(
    `${description} A page of \`limit\` items (default 100); \`nextToken\` when more follow.`,
    listOf(item),
  ),
  "400": {
    description:
      "VALIDATION_FAILED: a query parameter (its name is the error's path): a limit outside 1–100, a nextToken not of this list, or an unknown parameter.",
    content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
  },
});

/** The documented contract of the day-ahead market routes. */
export const MARKET_OPERATIONS = {
  PostLookAhead: {
    summary: "Post tomorrow's constraint look-ahead and MOLs (R-IN-1..3)",
    tags: ["ANM interface"],
    requestParams: { header: idempotencyKey },
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
    requestBody: body(OrderRequestSchema),
    responses: { ...ok("The order, open.", OrderSchema, "201"), ...ORDER_WRITE_ERRORS },
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
    requestBody: body(OrderAmendmentSchema),
    responses: { ...ok("The amended order.", OrderSchema), ...ORDER_WRITE_ERRORS },
  },
  WithdrawOrder: {
    summary: "Withdraw an open order until gate closure (R-ORDER-3)",
    tags: ["Trading"],
    requestParams: { path: path("orderId"), header: idempotencyKey },
    responses: { ...ok("The withdrawn order.", OrderSchema), ...ORDER_WRITE_ERRORS },
  },
  ListTrades: {
    summary: "Trades of a delivery day (participant: its own; operator: all)",
    tags: ["Trading"],
    requestParams: { query: DeliveryDateQuerySchema },
    responses: list(
      "Trades by window, market and matching order; a participant never sees its counterparty's participant id.",
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
