import * as z from "zod";

export const HealthSchema = z
  .object({ status: z.literal("ok").meta({ description: "The API answers." }) })
  .strict()
  .meta({ id: "Health", description: "The API answers." });

export type Health = z.infer<typeof HealthSchema>;
