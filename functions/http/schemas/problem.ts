import * as z from "zod";

/** RFC 9457 problem details as the API sends them (api.md, Conventions). */
export const ProblemSchema = z
  .object({
    type: z.string().meta({ description: "A URI naming the problem type." }),
    title: z.string().meta({ description: "The HTTP status's name." }),
    status: z.int().min(400).max(599).meta({ description: "The HTTP status." }),
    code: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/)
      .meta({ description: "Stable SCREAMING_SNAKE error code; key on this." }),
    detail: z.string().meta({ description: "What went wrong, for a person." }),
    errors: z
      .array(
        z
          .object({
            path: z.string().meta({
              description:
                "The field: a dotted path into the body (e.g. `mols.0.entries.2.forecastMw.27`), a parameter's name, or `body`.",
            }),
            message: z.string().meta({ description: "What is wrong with it." }),
          })
          .strict(),
      )
      .optional()
      .meta({ description: "One item per violated field (VALIDATION_FAILED)." }),
  })
  .strict()
  .meta({ id: "Problem", description: "An error, as application/problem+json." });
