import { checkHealth } from "../../core/use-cases/health";
import * as ports from "../../runtime/ports";
import { httpHandler } from "../middleware/http-handler";
import { json } from "../responses";
import type { Health } from "../schemas/health";

const deps = ports.compose({ apiKeys: ports.apiKeys });

/**
 * GET /health — 200 `{ "status": "ok", "database": "ok" }` when the API runs and its table
 * answers a read; 503 with `Retry-After` and `"status": "unavailable"` when the table cannot be
 * read (D-145).
 */
export const handler = httpHandler(async () => {
  const report = (await checkHealth(deps)) satisfies Health;
  const response = json(report.status === "ok" ? 200 : 503, report);
  return report.status === "ok"
    ? response
    : { ...response, headers: { ...response.headers, "Retry-After": "5" } };
});
