import type { APIGatewayProxyEvent } from "aws-lambda";
import { assertSchemeAccess } from "../../core/access/scheme-access";
import { DomainError } from "../../core/errors";
import { isRuleIssue, LookAheadSchema } from "../../core/model/look-ahead";
import { fieldProblems, validationProblem } from "../../core/problem";
import { submitLookAhead } from "../../core/use-cases/submit-look-ahead";
import * as ports from "../../runtime/ports";
import { actorOf, callerOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { bodyText } from "../middleware/parse-body";
import { json } from "../responses";

const deps = ports.compose({
  clock: ports.clock,
  schemes: ports.schemes,
  cycles: ports.cycles,
  workflow: ports.workflow,
});

/**
 * POST /anm/look-aheads (anm): R-IN-1 (400 for shape, 422 LOOK_AHEAD_INVALID for rules, nothing
 * stored), R-IN-2 (idempotent on lookAheadId), R-IN-3 (supersede before gate closure, 409 after).
 * Also honours `Idempotency-Key` like every write (api.md, Conventions); the receive time for
 * R-IN-3 is taken before the key is looked up.
 */
export const handler = httpHandler(async (event, context) => {
  const receivedAtMs = deps.clock.nowMs();
  return idempotent(async () => accept(event, receivedAtMs))(event, context);
});

async function accept(event: APIGatewayProxyEvent, receivedAtMs: number) {
  const text = bodyText(event);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new DomainError("MALFORMED_JSON", "The request body is not valid JSON.", [
      { path: "body", message: "must be a JSON document" },
    ]);
  }
  const parsed = LookAheadSchema.safeParse(raw);
  if (!parsed.success) {
    if (parsed.error.issues.every(isRuleIssue))
      throw new DomainError(
        "LOOK_AHEAD_INVALID",
        "The look-ahead breaks R-IN-1; nothing was stored.",
        fieldProblems(parsed.error.issues),
      );
    const problem = validationProblem(parsed.error.issues);
    throw new DomainError("VALIDATION_FAILED", problem.detail, problem.errors ?? []);
  }
  // D-195: a key bound to another scheme is told nothing: 404, as for an unknown scheme.
  assertSchemeAccess(callerOf(event), parsed.data.anmSchemeId);
  const { cycle } = await submitLookAhead(deps, parsed.data, receivedAtMs, actorOf(event));
  return json(202, { cycleId: cycle.cycleId, status: cycle.status });
}
