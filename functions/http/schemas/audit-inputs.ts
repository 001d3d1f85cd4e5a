import * as z from "zod";
import { limitParameter, nextTokenParameter } from "./fields";

/**
 * The audit route inputs the handlers parse (query, path and body schemas), apart from the
 * response schemas of `./audit.ts`, which only the OpenAPI document builds: a handler's bundle
 * builds these alone on its cold start (D-299). `./audit.ts` re-exports them.
 */

export const AuditListQuerySchema = z
  .object({
    subject: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/, { message: "must be an object id" })
      .optional()
      .meta({
        description: "Only the records of this object (participant, asset, order, cycle, …).",
      }),
    limit: limitParameter.meta({ description: "Items per page, 1–100; default 100." }),
    nextToken: nextTokenParameter.meta({ description: "The nextToken of the previous page." }),
  })
  .strict();
