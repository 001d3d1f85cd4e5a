import { getParticipant } from "../../core/access/queries";
import { deps } from "../../runtime/deps";
import { httpHandler } from "../middleware/http-handler";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { participantId } from "../schemas/participant";

/** GET /participants/{participantId} (operator) — one participant. */
export const handler = httpHandler(async (event) => {
  const id = pathId(event, "participantId", participantId, "The participant");
  return json(200, await getParticipant(deps, id));
});
