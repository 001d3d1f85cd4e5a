import { csvProblemOf, readAssetCsv } from "../../core/access/asset-csv";
import { type BulkAssetRow, registerAssetsInBulk } from "../../core/access/register-assets-in-bulk";
import { fieldProblems } from "../../core/problem";
import * as ports from "../../runtime/ports";
import { actorOf, callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { csvBody } from "../middleware/parse-body";
import { json } from "../responses";
import { AssetBodySchema } from "../schemas/asset-inputs";

const deps = ports.compose({
  clock: ports.clock,
  ids: ports.ids,
  assets: ports.assets,
  claims: ports.claims,
});

/**
 * POST /assets:bulk (participant) — `text/csv`, one asset per row in the template's columns
 * (D-115…D-118); 415 for another type, 413 over 1 MiB or 1,000 rows, 400 for a wrong header.
 * Each row is validated by the `POST /assets` schema and registered by its use case; 200 with
 * one result per row (created, existing or refused with its code and the columns at fault).
 */
export const handler = httpHandler(
  idempotent(async (event) => {
    const rows = readAssetCsv(csvBody(event, "asset rows"));
    const { principalId } = callerOf(event);
    const answer = await registerAssetsInBulk(
      deps,
      principalId,
      rows.map(validated),
      actorOf(event),
    );
    return json(200, {
      counts: answer.counts,
      results: answer.results.map((result) =>
        result.status === "refused"
          ? { ...result, errors: result.errors.map(csvProblemOf) }
          : result,
      ),
    });
  }),
);

/**
 * A row through the JSON route's schema; a column the CSV reading already faulted is reported
 * once, with the CSV's reason.
 */
function validated(input: ReturnType<typeof readAssetCsv>[number]): BulkAssetRow {
  const { row, body, errors } = input;
  if (body === undefined) return { row, code: "VALIDATION_FAILED", errors };
  const parsed = AssetBodySchema.safeParse(body);
  if (parsed.success && errors.length === 0) return { row, registration: parsed.data };
  const faulted = new Set(errors.map((e) => e.path));
  const schema = parsed.success
    ? []
    : fieldProblems(parsed.error.issues).filter((p) => !faulted.has(csvProblemOf(p).path));
  return { row, code: "VALIDATION_FAILED", errors: [...errors, ...schema] };
}
