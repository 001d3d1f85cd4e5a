import * as z from "zod";
import { EVENT_TYPES } from "../events/platform-event";
import type { OutboxRecord } from "../ports";

const OutboxEventSchema = z.object({
  eventId: z.string().startsWith("evt_"),
  type: z.enum([...EVENT_TYPES, "webhook.test"]),
  recipient: z.string().min(1),
  anmSchemeId: z.string().optional(),
  timestampMs: z.number(),
  body: z.string(),
});

const OutboxRecordSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("event"),
    changeId: z.string(),
    gated: z.boolean(),
    event: OutboxEventSchema,
  }),
  z.object({ kind: z.literal("release"), changeId: z.string() }),
  z.object({ kind: z.literal("retry"), deliveryId: z.string(), requestedAtMs: z.number() }),
]);

/** An outbox item as the dispatcher takes it, or undefined for an item of another shape. */
export function parseOutboxRecord(item: unknown): OutboxRecord | undefined {
  const parsed = OutboxRecordSchema.safeParse(item);
  return parsed.success ? (parsed.data as OutboxRecord) : undefined;
}
