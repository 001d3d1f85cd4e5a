import * as z from "zod";
import { ROLES } from "../../core/access/roles";

export const WhoAmISchema = z
  .object({
    role: z.enum(ROLES).meta({ description: "operator, anm or participant." }),
    principalId: z.string().meta({
      description:
        "The participant id; `operator`; `anm` for the local bootstrap ANM key, `anm:<anmSchemeId>` for an ANM key bound to a scheme.",
    }),
    keyId: z.string().optional().meta({ description: "The presented key's id (never the key)." }),
    anmSchemeId: z
      .string()
      .optional()
      .meta({ description: "ANM keys bound to a scheme: that scheme." }),
  })
  .strict()
  .meta({ id: "WhoAmI", description: "Who the presented API key speaks for." });

export type WhoAmI = z.infer<typeof WhoAmISchema>;
