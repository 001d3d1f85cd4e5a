import * as z from "zod";
import { calendarDate, clientId } from "../../core/model/fields";
import { limitParameter, nextTokenParameter } from "./fields";

/**
 * The market route inputs the handlers parse (query, path and body schemas), apart from the
 * response schemas of `./market.ts`, which only the OpenAPI document builds: a handler's bundle
 * builds these alone on its cold start (D-299). `./market.ts` re-exports them.
 */

/** `limit` and `nextToken` of the market lists (api.md, Conventions: `limit` ≤ 100). */
const paging = {
  limit: limitParameter.meta({
    description: "Items per page, 1–100; default 100.",
  }),
  nextToken: nextTokenParameter.meta({
    description:
      "The nextToken of the previous page of the same list (same other parameters); absent on the last page.",
  }),
};

const deliveryDate = calendarDate.meta({
  description: "The delivery day, a calendar date in Europe/London (YYYY-MM-DD).",
  format: "date",
  examples: ["2027-06-14"],
});

/** GET /opportunities, /markets, /trades, /cycles: one delivery day, a page at a time. */
export const DeliveryDateQuerySchema = z.strictObject({ deliveryDate, ...paging });

/** GET /cycles: one delivery day's cycles, optionally of one status (D-151). */
export const CyclesQuerySchema = z.strictObject({
  deliveryDate: calendarDate,
  status: z
    .enum(["running", "markets-open", "published", "failed", "superseded"])
    .optional()
    .meta({ description: "Only cycles in this status." }),
  ...paging,
});

/** GET /orders: the caller's orders, of one market or all, a page at a time. */
export const OrdersQuerySchema = z.strictObject({
  marketId: clientId.optional().meta({ description: "Only the orders of this market." }),
  ...paging,
});

export const MeritOrderQuerySchema = z.strictObject({
  anmSchemeId: clientId.meta({ description: "The ANM scheme." }),
  deliveryDate,
  constraintId: clientId.meta({ description: "The constraint whose MOL is asked for." }),
  version: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .optional()
    .meta({
      description:
        "A published version to read (immutable, R-REORDER-6); default the latest, which is the one in force for every SP of the day.",
      examples: [2],
    }),
});
