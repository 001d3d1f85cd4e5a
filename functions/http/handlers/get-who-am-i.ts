import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { json } from "../responses";
import type { WhoAmI } from "../schemas/who-am-i";

/** GET /whoami — the role and identity of the presented key; a way to check a key works. */
export const handler = httpHandler(async (event) => {
  return json(200, callerOf(event) satisfies WhoAmI);
});
