/**
 * `npm run simulate -- <scenario.json>`: runs the day-ahead rules on a scenario file through the
 * same core code as the cycle, with no stack, no database and no wall clock. Prints the result as
 * JSON on stdout (exit 0); invalid input prints a problem JSON on stderr (exit 2).
 */
import { readFile } from "node:fs/promises";
import { DomainError } from "../functions/core/errors";
import { domainProblem, type Problem, problem } from "../functions/core/problem";
import { parseScenario, simulate } from "../functions/core/use-cases/simulate";

function fail(p: Problem): never {
  process.stderr.write(`${JSON.stringify(p, null, 2)}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path || process.argv.length > 3)
    fail(problem(400, "USAGE", "Usage", "usage: npm run simulate -- <scenario.json>"));
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    fail(problem(400, "FILE_NOT_READABLE", "File not readable", `cannot read ${path}`));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    fail(problem(400, "MALFORMED_JSON", "Malformed JSON", `${path} is not valid JSON`));
  }
  const parsed = parseScenario(json);
  if (!parsed.ok) fail(parsed.problem);
  try {
    process.stdout.write(`${JSON.stringify(simulate(parsed.value), null, 2)}\n`);
  } catch (error) {
    if (error instanceof DomainError) fail(domainProblem(error, 422));
    fail(problem(500, "INTERNAL_ERROR", "Internal error", "the simulation failed unexpectedly"));
  }
}

void main();
