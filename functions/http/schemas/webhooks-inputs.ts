import * as z from "zod";
import { EVENT_TYPES } from "../../core/events/platform-event";
import { calendarDate, clientId } from "../../core/model/fields";
import { instantString, limitParameter, nextTokenParameter } from "./fields";

/**
 * The webhooks route inputs the handlers parse (query, path and body schemas), apart from the
 * response schemas of `./webhooks.ts`, which only the OpenAPI document builds: a handler's bundle
 * builds these alone on its cold start (D-299). `./webhooks.ts` re-exports them.
 */

export const allTypes = [...EVENT_TYPES, "webhook.test"] as const;
export const DELIVERY_STATUSES = ["pending", "succeeded", "failed", "undeliverable"] as const;

export const DeliveryQuerySchema = z.strictObject({
  status: z
    .enum(DELIVERY_STATUSES)
    .optional()
    .meta({ description: "Only deliveries in this status; default every status." }),
  type: z
    .enum(allTypes)
    .optional()
    .meta({ description: "Only deliveries of this event type; default every type." }),
  from: instantString
    .optional()
    .meta({ description: "Created at or after this instant.", format: "date-time" }),
  to: instantString
    .optional()
    .meta({ description: "Created at or before this instant.", format: "date-time" }),
  limit: limitParameter.meta({ description: "Items per page, 1–100; default 100." }),
  nextToken: nextTokenParameter.meta({
    description: "The nextToken of the previous page of the same list.",
  }),
});

export const deliveryIdParameter = z
  .string()
  .regex(/^dlv_[0-9a-f]{20}$/, { message: "must be a dlv_ id" });

export const InstructionQuerySchema = z.strictObject({
  deliveryDate: calendarDate.meta({
    description: "The delivery day, a calendar date in Europe/London (YYYY-MM-DD).",
    format: "date",
    examples: ["2027-06-14"],
  }),
  constraintId: clientId.meta({ description: "The constraint whose MOL versions are asked for." }),
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,5}$/, { message: "must be a version number (1, 2, …)" })
    .transform(Number)
    .optional()
    .meta({ description: "A published version; default the version in force." }),
  anmSchemeId: clientId
    .optional()
    .meta({ description: "Only this ANM scheme (additive); default every scheme." }),
  limit: limitParameter,
  nextToken: nextTokenParameter.meta({
    description:
      "The nextToken of the previous page of the same list (same other parameters); absent on the last page.",
  }),
});
