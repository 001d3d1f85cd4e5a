import { httpHandler } from "../middleware/http-handler";
import { json } from "../responses";
import type { Health } from "../schemas/health";

/** GET /health — 200 `{ "status": "ok" }`; touches nothing, so it says only that the API runs. */
export const handler = httpHandler(async () => json(200, { status: "ok" } satisfies Health));
