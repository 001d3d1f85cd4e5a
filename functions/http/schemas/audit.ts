import * as z from "zod";
import { ActorSchema, limitParameter, nextTokenParameter } from "./fields";

export const AuditRecordSchema = z
  .object({
    recordId: z.string(),
    subject: z.string().meta({ description: "The id of what changed (participant, asset, …)." }),
    action: z.string().meta({ description: "What happened, e.g. participant.approved." }),
    actor: ActorSchema,
    at: z.string(),
    from: z.string().optional().meta({ description: "Status before." }),
    to: z.string().optional().meta({ description: "Status after." }),
    reason: z.string().optional(),
  })
  .strict()
  .meta({ id: "AuditRecord", description: "One state change: who, what, when. Never updated." });

export const AuditListSchema = z
  .object({ items: z.array(AuditRecordSchema), nextToken: z.string().optional() })
  .strict()
  .meta({ id: "AuditList" });

export const AuditListQuerySchema = z
  .object({
    subject: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/, { message: "must be an object id" })
      .optional(),
    limit: limitParameter,
    nextToken: nextTokenParameter,
  })
  .strict();
