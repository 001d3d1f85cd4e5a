import * as z from "zod";
import { ActorSchema } from "./fields";

export { AuditListQuerySchema } from "./audit-inputs";

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
