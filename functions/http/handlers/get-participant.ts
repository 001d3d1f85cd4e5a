import { getParticipant } from "../../core/access/queries";
import * as ports from "../../runtime/ports";
import { httpHandler } from "../middleware/http-handler";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { participantId } from "../schemas/participant-inputs";

const deps = ports.compose({ participants: ports.participants });

/** GET /participants/{participantId} (operator) — one participant. */
export const handler = httpHandler(async (event) => {
  const id = pathId(event, "participantId", participantId, "The participant");
  return json(200, await getParticipant(deps, id));
});
