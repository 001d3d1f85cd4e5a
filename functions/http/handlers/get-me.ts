import { getParticipant } from "../../core/access/queries";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { json } from "../responses";

const deps = ports.compose({ participants: ports.participants });

/** GET /me (participant) — the caller's own participant record (no secret, no hash). */
export const handler = httpHandler(async (event) =>
  json(200, await getParticipant(deps, callerOf(event).principalId)),
);
