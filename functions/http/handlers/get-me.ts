import { deps } from "../../runtime/deps";
import { notFound } from "../access/request";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { json } from "../responses";

/** GET /me (participant) — the caller's own participant record (no secret, no hash). */
export const handler = httpHandler(async (event) => {
  const { principalId } = callerOf(event);
  const participant = await deps.participants.get(principalId);
  if (participant === undefined) throw notFound("The participant");
  return json(200, participant);
});
