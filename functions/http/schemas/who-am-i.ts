import * as z from "zod";
import { ROLES } from "../../core/access/roles";

export const WhoAmISchema = z
  .object({
    role: z.enum(ROLES).meta({ description: "operator, anm or participant." }),
    principalId: z
      .string()
      .meta({ description: "The participant id, or the role name for operator and ANM keys." }),
  })
  .strict()
  .meta({ id: "WhoAmI", description: "Who the presented API key speaks for." });

export type WhoAmI = z.infer<typeof WhoAmISchema>;
