import { listParticipants } from "../../core/access/queries";
import * as ports from "../../runtime/ports";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { ParticipantListQuerySchema } from "../schemas/participant-inputs";

const deps = ports.compose({ participants: ports.participants });

/** GET /participants?status= (operator) — participants, oldest registration first. */
export const handler = httpHandler(async (event) => {
  const { status, limit, nextToken } = parseQuery(event, ParticipantListQuerySchema);
  return json(200, await listParticipants(deps, status, { limit, nextToken }));
});
