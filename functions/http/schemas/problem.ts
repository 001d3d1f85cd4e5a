import * as z from "zod";

/** RFC 9457 problem details as the API sends them (api.md, Conventions). */
export const ProblemSchema = z
  .object({
    type: z.string().meta({ description: "A URI naming the problem type." }),
    title: z.string(),
    status: z.int().min(400).max(599),
    code: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/)
      .meta({ description: "Stable SCREAMING_SNAKE error code; key on this." }),
    detail: z.string(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }).strict())
      .optional()
      .meta({ description: "One item per violated field (VALIDATION_FAILED)." }),
  })
  .strict()
  .meta({ id: "Problem", description: "An error, as application/problem+json." });
