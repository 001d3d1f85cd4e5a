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

const USAGE = `usage: npm run simulate -- [--post-trade | --look-ahead] <file.json>

  <file.json>      a scenario file, e.g. examples/worked-example.json
  --post-trade     run the variants after gate closure too (verification, performance,
                   settlement, Curtailment Index), e.g. examples/post-trade-worked-example.json
  --look-ahead     the file is one look-ahead as an ANM system posts it (POST /anm/look-aheads),
                   e.g. examples/look-ahead.json: it is checked as the API checks it (R-IN-1),
                   and every entry is treated as eligible (its resource an approved participant),
                   so the result shows the markets and every opportunity the look-ahead would open
  -h, --help       show this help

Prints the result as JSON on stdout; invalid input prints a problem JSON on stderr and exits 2.`;

function fail(p: Problem): never {
  process.stderr.write(`${JSON.stringify(p, null, 2)}\n`);
  process.exit(2);
}

function usage(detail: string): never {
  fail(problem(400, "USAGE", "Usage", `${detail}\n${USAGE}`));
}

function parseCommandLine(): { path: string; postTrade: boolean; lookAhead: boolean } {
  let values: { "post-trade"?: boolean; "look-ahead"?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: process.argv.slice(2),
      options: {
        "post-trade": { type: "boolean" },
        "look-ahead": { type: "boolean" },
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
  if (values["post-trade"] && values["look-ahead"])
    usage("--post-trade and --look-ahead do not go together");
  return {
    path: positionals[0]!,
    postTrade: values["post-trade"] === true,
    lookAhead: values["look-ahead"] === true,
  };
}

/**
 * A look-ahead alone, as a scenario: each resource an approved participant with one qualified
 * asset claiming its entries, and no orders — so every eligible entry's opportunities show.
 */
function lookAheadScenario(lookAhead: unknown): unknown {
  const entries = new Map<string, Set<string>>();
  const mols = (lookAhead as { mols?: unknown })?.mols;
  if (Array.isArray(mols))
    for (const mol of mols)
      for (const entry of (mol as { entries?: unknown[] })?.entries ?? []) {
        const { entryId, resourceId } = (entry ?? {}) as {
          entryId?: unknown;
          resourceId?: unknown;
        };
        if (typeof entryId !== "string" || typeof resourceId !== "string") continue;
        entries.set(resourceId, (entries.get(resourceId) ?? new Set()).add(entryId));
      }
  return {
    lookAhead,
    participants: [...entries.keys()].map((participantId) => ({
      participantId,
      status: "approved",
    })),
    assets: [...entries].map(([participantId, ids]) => ({
      assetId: `asset-of-${participantId}`,
      participantId,
      status: "qualified",
      molEntryIds: [...ids],
    })),
    orders: [],
  };
}

/** A problem found in a look-ahead file names its fields as the API would (no `lookAhead.`). */
function asLookAheadProblem(p: Problem): Problem {
  return {
    ...p,
    ...(p.errors
      ? {
          errors: p.errors.map((e) => ({
            ...e,
            path: e.path.replace(/^lookAhead\.?/, "") || "body",
          })),
        }
      : {}),
  };
}

async function main(): Promise<void> {
  const { path, postTrade, lookAhead } = parseCommandLine();
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
      const parsed = parseScenario(lookAhead ? lookAheadScenario(json) : json);
      if (!parsed.ok) fail(lookAhead ? asLookAheadProblem(parsed.problem) : parsed.problem);
      process.stdout.write(`${JSON.stringify(simulate(parsed.value), null, 2)}\n`);
    }
  } catch (error) {
    if (error instanceof DomainError) fail(domainProblem(error, 422));
    fail(problem(500, "INTERNAL_ERROR", "Internal error", "the simulation failed unexpectedly"));
  }
}

void main();
