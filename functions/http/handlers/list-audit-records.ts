import { listAuditRecords } from "../../core/access/queries";
import * as ports from "../../runtime/ports";
import { httpHandler } from "../middleware/http-handler";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import { AuditListQuerySchema } from "../schemas/audit-inputs";

const deps = ports.compose({ audit: ports.audit });

/** GET /audit?subject= (operator) — the append-only audit records, of one subject or all. */
export const handler = httpHandler(async (event) => {
  const { subject, limit, nextToken } = parseQuery(event, AuditListQuerySchema);
  return json(200, await listAuditRecords(deps, subject, { limit, nextToken }));
});
