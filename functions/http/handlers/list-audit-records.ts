import { listAuditRecords } from "../../core/access/queries";
import { deps } from "../../runtime/deps";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { AuditListQuerySchema } from "../schemas/audit";

/** GET /audit?subject= (operator) — the append-only audit records, of one subject or all. */
export const handler = httpHandler(async (event) => {
  const { subject, limit, nextToken } = parseQuery(event, AuditListQuerySchema);
  return json(200, await listAuditRecords(deps, subject, { limit, nextToken }));
});
