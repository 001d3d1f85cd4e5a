/**
 * `npm run simulate -- <scenario.json>`: runs the day-ahead rules on a scenario file through the
 * same core code as the cycle, with no stack, no database and no wall clock.
 * `npm run simulate -- --post-trade <scenario.json>`: the day-ahead rules, then each variant's
 * verification, performance, settlement and Curtailment Index (inputs carry their receive time).
 * Prints the result as JSON on stdout (exit 0); invalid input prints a problem JSON on stderr
 * (exit 2); `--help` prints the usage (exit 0).
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { DomainError } from "../functions/core/errors";
import { domainProblem, type Problem, problem } from "../functions/core/problem";
import { parseScenario, simulate } from "../functions/core/use-cases/simulate";
import {
  parsePostTradeScenario,
  simulatePostTrade,
} from "../functions/core/use-cases/simulate-post-trade";

const USAGE = `usage: npm run simulate -- [--post-trade] <scenario.json>

  <scenario.json>  a scenario file, e.g. examples/worked-example.json
  --post-trade     run the variants after gate closure too (verification, performance,
                   settlement, Curtailment Index), e.g. examples/post-trade-worked-example.json
  -h, --help       show this help

Prints the result as JSON on stdout; invalid input prints a problem JSON on stderr and exits 2.`;

function fail(p: Problem): never {
  process.stderr.write(`${JSON.stringify(p, null, 2)}\n`);
  process.exit(2);
}

function usage(detail: string): never {
  fail(problem(400, "USAGE", "Usage", `${detail}\n${USAGE}`));
}

function parseCommandLine(): { path: string; postTrade: boolean } {
  let values: { "post-trade"?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: process.argv.slice(2),
      options: {
        "post-trade": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    usage(error instanceof Error ? error.message.split("\n")[0]! : "bad arguments");
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (positionals.length !== 1)
    usage(positionals.length === 0 ? "name one scenario file" : "name only one scenario file");
  return { path: positionals[0]!, postTrade: values["post-trade"] === true };
}

async function main(): Promise<void> {
  const { path, postTrade } = parseCommandLine();
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
  try {
    if (postTrade) {
      const parsed = parsePostTradeScenario(json);
      if (!parsed.ok) fail(parsed.problem);
      process.stdout.write(`${JSON.stringify(simulatePostTrade(parsed.value), null, 2)}\n`);
    } else {
      const parsed = parseScenario(json);
      if (!parsed.ok) fail(parsed.problem);
      process.stdout.write(`${JSON.stringify(simulate(parsed.value), null, 2)}\n`);
    }
  } catch (error) {
    if (error instanceof DomainError) fail(domainProblem(error, 422));
    fail(problem(500, "INTERNAL_ERROR", "Internal error", "the simulation failed unexpectedly"));
  }
}

void main();
