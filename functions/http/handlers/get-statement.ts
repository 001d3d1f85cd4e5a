import { DomainError } from "../../core/errors";
import { statementCsv } from "../../core/settlement/statement-csv";
import { getStatement } from "../../core/use-cases/settlement";
import * as ports from "../../runtime/ports";
import { callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { headerOf } from "../middleware/parse-body";
import { pathId } from "../middleware/parse-path";
import { parseQuery } from "../middleware/parse-query";
import { json } from "../responses";
import {
  StatementQuerySchema,
  statementId as statementIdSchema,
} from "../schemas/post-trade-inputs";

const deps = ports.compose({
  clock: ports.clock,
  assets: ports.assets,
  claims: ports.claims,
  schemes: ports.schemes,
  cycles: ports.cycles,
  markets: ports.markets,
  orders: ports.orders,
  trades: ports.trades,
  meritOrders: ports.meritOrders,
  topologyChanges: ports.topologyChanges,
  actuals: ports.actuals,
  nominations: ports.nominations,
  meters: ports.meters,
  settlement: ports.settlement,
  settlementWorkflow: ports.settlementWorkflow,
});

/**
 * GET /statements/{statementId}?version= (its participant; operator): one issued version as
 * JSON (default) or as the R-SETTLE-8 CSV (`Accept: text/csv`, formula-guarded cells, D-222);
 * 406 NOT_ACCEPTABLE for any other `Accept`.
 */
export const handler = httpHandler(async (event) => {
  const { version } = parseQuery(event, StatementQuerySchema);
  const statementId = pathId(event, "statementId", statementIdSchema, "The statement");
  const format = negotiate(headerOf(event, "accept"));
  const { statement, view } = await getStatement(deps, callerOf(event), statementId, version);
  if (format === "json") return json(200, view);
  return {
    statusCode: 200,
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${statement.statementId}-v${statement.version}.csv"`,
    },
    body: statementCsv(statement),
  };
});

/** The representation an `Accept` header asks for: JSON unless CSV ranks higher (RFC 9110). */
function negotiate(accept: string | undefined): "json" | "csv" {
  if (accept === undefined || accept.trim() === "") return "json";
  let best: { format: "json" | "csv"; q: number } | undefined;
  for (const part of accept.split(",")) {
    const [range, ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!(q > 0)) continue;
    const format =
      range === "application/json" || range === "application/*" || range === "*/*"
        ? "json"
        : range === "text/csv" || range === "text/*"
          ? "csv"
          : undefined;
    if (format && (!best || q > best.q)) best = { format, q };
  }
  if (!best)
    throw new DomainError(
      "NOT_ACCEPTABLE",
      "Statements are served as application/json or text/csv; ask for one of them in Accept.",
    );
  return best.format;
}
