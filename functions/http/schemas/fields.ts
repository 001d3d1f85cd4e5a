import * as z from "zod";
import { ACTOR_ROLES } from "../../core/access/roles";
import { parseInstant } from "../../core/model/settlement-periods";

/**
 * Field schemas of the access-control API (registration, assets): bounded strings with no
 * control characters, so that nothing oversized or unprintable is ever stored. D-147: nor format
 * characters (Unicode Cf: bidirectional overrides and isolates, zero-width spaces and joiners,
 * the byte-order mark), which make a name read differently from what is stored; nor a leading
 * `=`, `+`, `-` or `@`, which a spreadsheet would run as a formula when an operator exports it.
 */
export function text(max: number) {
  return z
    .string()
    .max(max, { message: `must be at most ${max} characters` })
    .regex(/^[^\p{Cc}]*$/u, { message: "must not contain control characters" })
    .regex(/^[^\p{Cf}]*$/u, {
      message: "must not contain bidirectional or zero-width (format) characters",
    })
    .refine((value) => !/^\s*[=+\-@]/.test(value), {
      message: "must not begin with =, +, - or @ (it would run as a spreadsheet formula)",
    })
    .refine((value) => value.trim() !== "", { message: "must not be blank" });
}

/** An ISO 8601 instant with an explicit offset (R-TIME-2), at most 40 characters. */
export const instantString = z
  .string()
  .max(40, { message: "must be at most 40 characters" })
  .refine((value) => parseInstant(value) !== undefined, {
    message: "must be an ISO 8601 instant with an offset, e.g. 2027-06-13T12:00:00+01:00",
  });

/** Ids the platform generates: a prefix and 20 hex digits (80 random bits). */
export function platformId(prefix: string) {
  return z
    .string()
    .regex(new RegExp(`^${prefix}-[0-9a-f]{20}$`), { message: `must be a ${prefix}- id` });
}

/** `limit` as a query parameter: 1–100 (api.md, Conventions), default 100. */
export const limitParameter = z
  .string()
  .regex(/^[0-9]{1,3}$/, { message: "must be an integer from 1 to 100" })
  .transform(Number)
  .refine((value) => value >= 1 && value <= 100, { message: "must be an integer from 1 to 100" })
  .optional()
  .meta({
    description: "Items per page, 1–100; default 100.",
    // On the wire a query string; documented as the integer it stands for.
    override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
      delete jsonSchema.pattern;
      Object.assign(jsonSchema, { type: "integer", minimum: 1, maximum: 100, default: 100 });
    },
  });

/** The opaque `nextToken` of a previous page. */
export const nextTokenParameter = z
  .string()
  .max(2048, { message: "must be at most 2048 characters" })
  .regex(/^[A-Za-z0-9_-]+$/, { message: "must be a nextToken returned by this API" })
  .optional();

/** Who did something, in an audit record or a decision. */
export const ActorSchema = z
  .object({
    role: z.enum(ACTOR_ROLES).meta({ description: "The role that acted." }),
    principalId: z.string().meta({
      description:
        "Who: a participant id; `operator`; `anm`, or `anm:<anmSchemeId>` for an ANM key bound to a scheme; or `system:<step>` for the workflow.",
    }),
    keyId: z
      .string()
      .optional()
      .meta({ description: "The API key that acted (its id, never the key)." }),
  })
  .strict()
  .meta({ id: "Actor", description: "Who did it." });
