import type { APIGatewayProxyEvent } from "aws-lambda";
import { endpointOwnerOf } from "../../core/webhooks/model";
import { callerOf } from "./caller";

/** The caller and the owner of its webhook endpoint (R-NOTIFY-1 §19). */
export function webhookCallerOf(event: APIGatewayProxyEvent) {
  const caller = callerOf(event);
  const scheme = (event.requestContext.authorizer as { anmSchemeId?: unknown } | null)?.anmSchemeId;
  return {
    actor: caller,
    owner: endpointOwnerOf({
      ...caller,
      ...(typeof scheme === "string" && scheme !== "" ? { anmSchemeId: scheme } : {}),
    }),
  };
}
