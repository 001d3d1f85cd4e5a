import type { APIGatewayProxyEvent } from "aws-lambda";
import { isConfigRuleIssue, SchemeVersionBodySchema } from "../../core/config/scheme-config-schema";
import { DomainError } from "../../core/errors";
import { fieldProblems, validationProblem } from "../../core/problem";
import { putSchemeVersion } from "../../core/use-cases/schemes";
import * as ports from "../../runtime/ports";
import { actorOf } from "../auth/caller";
import { httpHandler } from "../middleware/http-handler";
import { idempotent } from "../middleware/idempotent";
import { bodyText } from "../middleware/parse-body";
import { pathId } from "../middleware/parse-path";
import { json } from "../responses";
import { anmSchemeIdParameter } from "../schemas/scheme-inputs";
import { schemeView } from "../scheme-views";

const deps = ports.compose({ clock: ports.clock, schemes: ports.schemes });

/**
 * PUT /schemes/{anmSchemeId} (operator): the scheme's next configuration version (D-190, D-191).
 * Shape errors are 400 VALIDATION_FAILED; a value the rules refuse (a range, a decimal count,
 * the floor not below 1 − GF) is 422 SCHEME_CONFIG_INVALID with the field paths; 201 on the
 * first version, 200 after; 409 SCHEME_VERSION_IN_USE when a day from effectiveFrom on already
 * has a look-ahead.
 */
export const handler = httpHandler(
  idempotent(async (event) => {
    const anmSchemeId = pathId(event, "anmSchemeId", anmSchemeIdParameter, "The scheme");
    const body = parse(event);
    const { created, scheme } = await putSchemeVersion(deps, anmSchemeId, body, actorOf(event));
    return json(created ? 201 : 200, schemeView(scheme));
  }),
);

function parse(event: APIGatewayProxyEvent) {
  const text = bodyText(event);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new DomainError("MALFORMED_JSON", "The request body is not valid JSON.", [
      { path: "body", message: "must be a JSON document" },
    ]);
  }
  const parsed = SchemeVersionBodySchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  if (parsed.error.issues.every(isConfigRuleIssue))
    throw new DomainError(
      "SCHEME_CONFIG_INVALID",
      "The scheme configuration breaks a rule; nothing was stored.",
      fieldProblems(parsed.error.issues),
    );
  const problem = validationProblem(parsed.error.issues);
  throw new DomainError("VALIDATION_FAILED", problem.detail, problem.errors ?? []);
}
