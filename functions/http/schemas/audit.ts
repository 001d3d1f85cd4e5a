import * as z from "zod";
import { ActorSchema, limitParameter, nextTokenParameter } from "./fields";

export const AuditRecordSchema = z
  .object({
    recordId: z.string().meta({ description: "The record (ordered by time within its subject)." }),
    subject: z.string().meta({ description: "The id of what changed (participant, asset, …)." }),
    action: z.string().meta({ description: "What happened, e.g. participant.approved." }),
    actor: ActorSchema,
    at: z.string().meta({ description: "When it happened (ISO 8601, UTC).", format: "date-time" }),
    from: z.string().optional().meta({ description: "Status before." }),
    to: z.string().optional().meta({ description: "Status after." }),
    reason: z.string().optional().meta({ description: "The reason given, if any." }),
  })
  .strict()
  .meta({ id: "AuditRecord", description: "One state change: who, what, when. Never updated." });

export const AuditListSchema = z
  .object({
    items: z.array(AuditRecordSchema).meta({ description: "This page's records." }),
    nextToken: z
      .string()
      .optional()
      .meta({ description: "For the next page; absent on the last." }),
  })
  .strict()
  .meta({ id: "AuditList" });

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
