import { deps } from "../../runtime/deps";
import { notFound, pathId } from "../access/request";
import { httpHandler } from "../middleware/http-handler";
import { json } from "../responses";
import { participantId } from "../schemas/participant";

/** GET /participants/{participantId} (operator) — one participant. */
export const handler = httpHandler(async (event) => {
  const id = pathId(event, "participantId", participantId, "The participant");
  const participant = await deps.participants.get(id);
  if (participant === undefined) throw notFound("The participant");
  return json(200, participant);
});
