import * as z from "zod";

export const HealthSchema = z
  .object({
    status: z.enum(["ok", "unavailable"]).meta({
      description: "ok: the API and its database answer; unavailable: the database does not (503).",
    }),
    database: z
      .enum(["ok", "unreachable"])
      .meta({ description: "Whether a read of the table worked." }),
  })
  .strict()
  .meta({ id: "Health", description: "The API answers, and whether its database does." });

export type Health = z.infer<typeof HealthSchema>;
