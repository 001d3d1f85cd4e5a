import * as z from "zod";
import { calendarDate, clientId } from "../../core/model/fields";

/**
 * The verification route inputs the handlers parse (query, path and body schemas), apart from the
 * response schemas of `./verification.ts`, which only the OpenAPI document builds: a handler's bundle
 * builds these alone on its cold start (D-299). `./verification.ts` re-exports them.
 */

/** `POST /anm/market-vetoes` (R-VERIFY-8). */
export const MarketVetoBodySchema = z
  .strictObject({
    marketId: clientId.meta({ description: "The matched market to void." }),
    reason: z
      .string()
      .min(1)
      .max(1000)
      .meta({
        description: "Why the DNO vetoes it (kept with the veto).",
        examples: ["planned outage on the 33 kV circuit"],
      }),
  })
  .meta({ id: "MarketVetoRequest" });

/** `GET /anm/topology-changes`: one scheme's delivery day. */
export const TopologyChangesQuerySchema = z.strictObject({
  anmSchemeId: clientId.meta({ description: "The ANM scheme.", examples: ["ENWL-ANM-01"] }),
  deliveryDate: calendarDate.meta({
    description: "The delivery day, a calendar date in Europe/London (YYYY-MM-DD).",
    format: "date",
    examples: ["2027-06-14"],
  }),
});
