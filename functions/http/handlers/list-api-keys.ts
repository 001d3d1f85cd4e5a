import { listApiKeys } from "../../core/access/api-keys";
import * as ports from "../../runtime/ports";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { ApiKeyListQuerySchema } from "../schemas/scheme-inputs";

const deps = ports.compose({ apiKeys: ports.apiKeys });

/** GET /api-keys (operator): every issued key, oldest first; never a key or its hash. */
export const handler = httpHandler(async (event) => {
  const { limit, nextToken } = parseQuery(event, ApiKeyListQuerySchema);
  return json(200, await listApiKeys(deps, { limit, nextToken }));
});
